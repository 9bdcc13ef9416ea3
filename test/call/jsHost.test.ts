import { describe, it, expect } from 'vitest';
import { runJsHost } from '../../runtime/host/jsHost';
import type { Program } from '../../runtime/host/program';
import { createSimulatedCall } from '../../runtime/call/simulated';
import { directoryEnvironment } from '../../runtime/call/environment';

function jsProgram(text: string | null): Program {
  return {
    kind: 'flow',
    file: 'demo/flow.json',
    name: 'demo',
    cgpl: { text: '', ast: { kind: 'Program', decls: [] }, file: 'demo.sppr', lineToNode: null },
    js: text === null ? null : { text },
    flow: null,
    environment: directoryEnvironment('/nonexistent'),
    warnings: [],
  };
}

describe('runJsHost', () => {
  it('imports the module, calls main(call) and hangs up after it', async () => {
    const program = jsProgram(`
      export default async function main(call) {
        if (await call.accept() !== null) return;
        call.node('ask');
        const input = await call.readInput(5);
        call.log('got ' + input);
      }`);
    const call = createSimulatedCall({ caller: [{ wait: 2000 }, { dtmf: '7' }] });
    let result: unknown;
    await call.run(async (s) => {
      result = await runJsHost(program, s);
    });
    expect(result).toEqual({ ended: 'end' });
    expect(
      call.trace
        .list()
        .filter((e) => e.kind !== 'mode')
        .map((e) => e.kind),
    ).toEqual(['call-started', 'answered', 'node', 'waiting', 'digit', 'log', 'hangup']);
    expect(call.trace.ofKind('log')[0]?.text).toBe('got 7');
    expect(call.endedBy).toBe('program');
  });

  it('a thrown error is traced with where it was thrown, and the call still ends', async () => {
    const program = jsProgram(
      ['export default async function main(call) {', '  await call.accept();', '  null.boom();', '}'].join('\n'),
    );
    const call = createSimulatedCall();
    let result: { ended: string; error?: { line: number; message: string } } | undefined;
    await call.run(async (s) => {
      result = await runJsHost(program, s);
    });
    expect(result?.ended).toBe('error');
    const error = call.trace.ofKind('error')[0];
    expect(error).toMatchObject({ file: 'demo.mjs', line: 3 });
    expect(error?.message).toMatch(/boom|null/);
    expect(call.endedBy).toBe('program');
  });

  it('a module that does not load, or has no main, is an error, not a crash', async () => {
    for (const [text, message] of [
      ['export default 42;', /no default export main/],
      ['this is not javascript', /does not load/],
      [null, /no JS module/],
    ] as const) {
      const call = createSimulatedCall();
      await call.run((s) => runJsHost(jsProgram(text), s));
      expect(call.trace.ofKind('error')[0]?.message).toMatch(message);
    }
  });
});
