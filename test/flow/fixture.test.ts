import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findStart, loadFlow, outgoing, validateFlow } from '../../compiler/flow';

const text = readFileSync(new URL('./fixtures/callback.json', import.meta.url), 'utf8');

describe('the callback example', () => {
  it('loads and validates with no problems at all', () => {
    const { flow, problems } = loadFlow(text, 'callback.json');
    expect(problems).toEqual([]);
    expect(validateFlow(flow!)).toEqual([]);
  });

  it('follows the seed program: play, collect, mail, then trailer or failure', () => {
    const flow = loadFlow(text).flow!;
    const next = (id: string, handle: string) => outgoing(flow, id).get(handle);
    const greeting = next(findStart(flow)!.id, 'next')!;
    expect(flow.nodes.find((n) => n.id === greeting)?.data).toMatchObject({
      prompts: ['CallbackBusy', 'CallbackLater', 'CallbackNumber', 'CallbackClearNumber'],
    });
    const collect = next(greeting, 'next')!;
    expect(flow.nodes.find((n) => n.id === collect)?.data).toMatchObject({
      endKey: '#',
      clearKey: '*',
      clearPrompts: ['CallbackClearNumber'],
      firstDigitTimeout: 20,
    });
    const mail = next(collect, 'done')!;
    expect(flow.nodes.find((n) => n.id === mail)?.data).toMatchObject({
      from: 'CallbackMailer@{{domain}}',
      to: '',
      subject: 'Contact phone: {{digits}}',
    });
    expect(flow.nodes.find((n) => n.id === next(collect, 'empty'))?.type).toBe('hangup');
    expect(flow.nodes.find((n) => n.id === next(mail, 'sent'))?.data).toMatchObject({ prompts: ['CallbackTrailer'] });
    expect(flow.nodes.find((n) => n.id === next(mail, 'failed'))?.data).toMatchObject({
      prompts: ['Failure', 'CallbackNotAvailable'],
    });
  });

  it('is the example printed in docs/flow-format.md', () => {
    const doc = readFileSync(new URL('../../docs/flow-format.md', import.meta.url), 'utf8');
    const block = /<!-- callback-example -->\s*```json\n([\s\S]*?)```/.exec(doc);
    expect(block, 'docs/flow-format.md has the callback example block').not.toBeNull();
    expect(JSON.parse(block![1]!)).toEqual(JSON.parse(text));
  });
});
