import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProgram, type Program } from '../../runtime/host/program';
import { runCgplHost } from '../../runtime/host/cgplHost';
import { simulateCall } from '../../runtime/host/simulate';
import { createSimulatedCall } from '../../runtime/call/simulated';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-host-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadProgram', () => {
  it('reports CG/PL syntax errors with file:line:col', async () => {
    const file = await write('broken.sppr', 'entry Main is\n  PlayFile("x")\nend;\n');
    const { program, errors } = await loadProgram(file);
    expect(program).toBeNull();
    expect(errors[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
  });

  it('stops on flow validation errors, naming the file and the node', async () => {
    const flow = JSON.parse(await readFile('samples/callback/flow.json', 'utf8'));
    flow.edges = flow.edges.filter((e: { source: string }) => e.source !== 'start');
    flow.nodes.find((n: { id: string }) => n.id === 'number').data.maxDigits = -3;
    const file = await write('flow.json', JSON.stringify(flow));
    const { program, errors } = await loadProgram(file);
    expect(program).toBeNull();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.startsWith(`${file}: `))).toBe(true);
    expect(errors.join('\n')).toMatch(/node number \(collectDigits\).*maxDigits/);
  });

  it('reports a missing file and a JSON syntax error without throwing', async () => {
    expect((await loadProgram(join(dir, 'none.sppr'))).errors).toEqual([
      `${join(dir, 'none.sppr')}: cannot read: no such file`,
    ]);
    const file = await write('syntax.json', '{ "format": "ivr-studio/flow@1", }');
    expect((await loadProgram(file)).errors[0]).toMatch(/syntax\.json:1:\d+: error FLOW301: invalid JSON/);
  });

  it('compiles a flow to CG/PL with a source map and to JS', async () => {
    const { program } = await loadProgram('samples/callback/flow.json');
    expect(program?.kind).toBe('flow');
    expect(program?.cgpl.file).toBe('callback.sppr');
    expect(program?.cgpl.lineToNode?.some((id) => id === 'intro')).toBe(true);
    expect(program?.js?.text).toMatch(/export default async function main\(call, options = \{\}\)/);
  });
});

describe('runCgplHost', () => {
  it('a runtime error is traced with the file and line:col, and the call is hung up', async () => {
    const file = await write(
      'oops.sppr',
      'entry Main is\n  if AcceptCall() != null then stop; end if;\n  x = NoSuchThing(1);\nend;\n',
    );
    const { program } = await loadProgram(file);
    // Unknown names are caught when the program is linked, before it runs: still a traced error.
    const call = createSimulatedCall();
    await call.run((s) => runCgplHost(program as Program, s));
    const error = call.trace.ofKind('error')[0];
    expect(error).toMatchObject({ file, line: 3 });
    expect(call.endedBy).toBe('program');
  });

  it('traces the flow nodes a generated program passes through', async () => {
    const { program } = await loadProgram('samples/callback/flow.json');
    const result = await simulateCall(program as Program, { caller: [{ hangup: true }] });
    expect(result.trace.ofKind('node').map((e) => e.id)).toEqual(['intro', 'number', 'nothing']);
    expect(result.endedBy).toBe('caller');
  });
});
