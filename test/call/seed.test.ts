// End to end: the seed article's program, verbatim, on a simulated call with the real embedded mailer.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProgram, type Program } from '../../runtime/host/program';
import { runCgplHost } from '../../runtime/host/cgplHost';
import { createSimulatedCall } from '../../runtime/call/simulated';
import { parseDtmfScript } from '../../runtime/scenario/dtmf';
import { createMailer, type Mailer } from '../../runtime/mail';
import { SEED } from '../helpers/seed';

let outboxDir: string;
let mailer: Mailer;
let program: Program;

beforeAll(async () => {
  outboxDir = await mkdtemp(join(tmpdir(), 'ivr-seed-'));
  mailer = await createMailer({ outboxDir });
  const loaded = await loadProgram(SEED, { environmentDir: 'samples/callback' });
  expect(loaded.errors).toEqual([]);
  program = loaded.program as Program;
});
afterAll(async () => {
  await mailer.close();
  await rm(outboxDir, { recursive: true, force: true });
});

describe('the seed callback program', () => {
  it('e-mails the number typed ahead, then plays the trailer', async () => {
    const call = createSimulatedCall({
      environment: program.environment,
      account: 'ivanov',
      mailer,
      now: '2024-03-03T23:00:00+03:00',
      caller: parseDtmfScript('5551234#'),
    });
    const result = await call.run((session) => runCgplHost(program, session));

    const [entry, ...others] = await mailer.outbox.list();
    expect(others).toEqual([]);
    expect(entry).toMatchObject({
      subject: 'Contact phone:5551234',
      to: 'ivanov@company.com',
      from: 'CallbackMailer@company.com',
    });
    expect((await mailer.outbox.read(entry!.id)).eml).toMatch(/^Subject: Contact phone:5551234\r?$/m);

    expect(result.endedBy).toBe('program');
    const text = call.trace.toText();
    expect(text).toContain('skipped CallbackBusy (dtmf)');
    expect(text).toContain('email   to ivanov@company.com: "Contact phone:5551234" queued');
    expect(call.trace.ofKind('prompt-started').map((e) => e.name)).toEqual(['CallbackTrailer']);
    expect(call.trace.ofKind('error')).toEqual([]);
  });

  it('a caller who types nothing hears the intro and is hung up on after 20 s of silence', async () => {
    const call = createSimulatedCall({
      environment: program.environment,
      account: 'ivanov',
      language: 'russian',
      mailer,
      now: '2024-03-03T23:00:00+03:00',
    });
    await call.run((session) => runCgplHost(program, session));
    expect(call.trace.ofKind('prompt-started').map((e) => `${e.name} ${e.language}`)).toEqual([
      'CallbackBusy russian',
      'CallbackLater russian',
      'CallbackNumber russian',
      'CallbackClearNumber russian',
    ]);
    const timeout = call.trace.ofKind('input-timeout')[0];
    const lastPrompt = call.trace.ofKind('prompt-finished').at(-1);
    expect(timeout!.t - lastPrompt!.t).toBe(20_000);
    expect(call.endedBy).toBe('program');
    expect(call.emails).toEqual([]);
  });
});
