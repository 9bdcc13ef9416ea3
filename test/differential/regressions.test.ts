// Fixed cases the random runs found, kept so they stay fixed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLOW_FORMAT, FlowDocument } from '../../compiler/flow';
import { programOf, runBoth } from './harness';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-diff-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('differences found by the random runs', () => {
  it('a voicemail e-mail when nothing was recorded: both targets attach an empty body (JS used to pass null)', async () => {
    // A valid flow: when the recording is empty it still e-mails (with the empty attachment).
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'voicemail',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'rec', type: 'recordVoicemail', data: { prompts: [], maxSeconds: 30, variable: 'recording' } },
        {
          id: 'mail',
          type: 'sendEmail',
          data: {
            from: 'vm@{{domain}}',
            to: '',
            subject: 'Voicemail',
            body: 'A message.',
            attachRecording: 'recording',
          },
        },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'rec' },
        { id: 'e2', source: 'rec', sourceHandle: 'empty', target: 'mail' },
        { id: 'e3', source: 'rec', sourceHandle: 'recorded', target: 'mail' },
      ],
    });
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    // The caller hangs up at once: Record returns null.
    const both = await runBoth(program!, { caller: [{ hangup: true }], smtpUp: true });
    expect(both.cgpl.emails).toHaveLength(1);
    const attachment = (both.js.emails[0]!.content as unknown[])[1];
    expect(attachment).toEqual({ contentType: 'audio/wav', fileName: 'voicemail.wav', body: '' });
    expect(both.js).toEqual(both.cgpl);
  });
});

describe('a caller who hangs up while a flow asks again', () => {
  // "Nothing entered? Ask again" is the usual way to draw a retry. After the caller hangs up,
  // ReadInput returns Disconnect at once, forever; the generated loop must notice and stop.
  it('collectDigits whose "empty" output leads back to it stops once the caller has hung up', async () => {
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'askagain',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        {
          id: 'number',
          type: 'collectDigits',
          data: {
            prompts: [],
            endKey: '#',
            clearKey: '*',
            firstDigitTimeout: 5,
            interDigitTimeout: 5,
            variable: 'digits',
          },
        },
        {
          id: 'mail',
          type: 'sendEmail',
          data: { from: 'cb@{{domain}}', to: '', subject: 'Call {{digits}}', body: '' },
        },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'number' },
        { id: 'e2', source: 'number', sourceHandle: 'empty', target: 'number' },
        { id: 'e3', source: 'number', sourceHandle: 'done', target: 'mail' },
      ],
    });
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    const both = await runBoth(program!, { caller: [{ wait: 12_000 }, { hangup: true }], smtpUp: true });
    expect(both.cgpl.endedBy).toBe('caller');
    expect(both.cgpl.runaway, 'the CG/PL program keeps reading Disconnect after the hang-up').toBe(false);
    expect(both.js.runaway, 'the JS module keeps reading Disconnect after the hang-up').toBe(false);
    expect(both.cgpl.hostEnded).toBe('ok');
  });
});

describe('a caller who hangs up before recording anything', () => {
  it('recordVoicemail whose "empty" output leads back to it stops once the caller has hung up', async () => {
    const flow = FlowDocument.parse({
      format: FLOW_FORMAT,
      name: 'recordagain',
      nodes: [
        { id: 'start', type: 'start', data: {} },
        { id: 'rec', type: 'recordVoicemail', data: { prompts: [], maxSeconds: 30, variable: 'recording' } },
        { id: 'bye', type: 'hangup', data: {} },
      ],
      edges: [
        { id: 'e1', source: 'start', sourceHandle: 'next', target: 'rec' },
        { id: 'e2', source: 'rec', sourceHandle: 'empty', target: 'rec' },
        { id: 'e3', source: 'rec', sourceHandle: 'recorded', target: 'bye' },
      ],
    });
    const { program, errors } = await programOf(flow, dir);
    expect(errors).toEqual([]);
    const both = await runBoth(program!, { caller: [{ hangup: true }], smtpUp: true });
    expect(both.cgpl.endedBy).toBe('caller');
    expect(both.cgpl.runaway, 'the CG/PL program keeps calling Record after the hang-up').toBe(false);
    expect(both.js.runaway, 'the JS module keeps calling Record after the hang-up').toBe(false);
  });
});
