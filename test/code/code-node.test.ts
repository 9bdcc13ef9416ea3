// Code nodes and module call nodes: checked by the front end with positions inside the node, compiled
// into the program as written, run by the CG/PL interpreter; the JS target refuses them by name.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowDocument, validateFlow } from '../../compiler/flow';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { programFromFlow } from '../../runtime/host';
import { runOn } from '../differential/harness';

function flowWith(nodes: unknown[], edges: unknown[]): FlowDocument {
  return FlowDocument.parse({
    format: 'ivr-studio/flow@1',
    name: 'coded',
    variables: [{ name: 'who' }],
    prompts: Object.fromEntries(['Sales', 'Help', 'Other'].map((p) => [p, { text: { english: p } }])),
    nodes: [{ id: 'start', type: 'start' }, ...(nodes as object[])],
    edges: [{ id: 'e0', source: 'start', sourceHandle: 'next', target: 'block' }, ...(edges as object[])],
  });
}

const block = (code: string, exits = ['next']) => ({ id: 'block', type: 'code', data: { code, exits } });

describe('code node', () => {
  it('reports a syntax error with the line and column inside the node', () => {
    const flow = flowWith([block('PlayFile("a");\nif x = then stop; end if;')], []);
    const errors = validateFlow(flow).filter((p) => p.severity === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ nodeId: 'block', field: 'code', code: 'CGPL110' });
    expect(errors[0]!.message).toMatch(/^2:\d+: /);
  });

  it('reports an unknown built-in and a function called for its effect, with their codes', () => {
    const flow = flowWith([block('PlayFle("a");\n\n  ReadInput(3);')], []);
    const errors = validateFlow(flow).filter((p) => p.severity === 'error');
    expect(errors.map((e) => [e.code, e.message.split(':').slice(0, 2).join(':')])).toEqual([
      ['CGPL201', '1:1'],
      ['CGPL203', '3:3'],
    ]);
  });

  it('refuses declarations inside the block', () => {
    const flow = flowWith([block('end;\nentry Other is\n')], []);
    expect(validateFlow(flow).some((p) => p.nodeId === 'block' && p.severity === 'error')).toBe(true);
  });

  it('leaves by the exit the block names, and runs in the interpreter', async () => {
    const code = 'key = ReadInput(5);\nif key == "1" then exit = "sales"; elif key == "2" then exit = "help"; end if;';
    const flow = flowWith(
      [
        block(code, ['other', 'sales', 'help']),
        { id: 's', type: 'play', data: { prompts: ['Sales'] } },
        { id: 'h', type: 'play', data: { prompts: ['Help'] } },
        { id: 'o', type: 'play', data: { prompts: ['Other'] } },
      ],
      [
        { id: 'e1', source: 'block', sourceHandle: 'sales', target: 's' },
        { id: 'e2', source: 'block', sourceHandle: 'help', target: 'h' },
        { id: 'e3', source: 'block', sourceHandle: 'other', target: 'o' },
      ],
    );
    expect(validateFlow(flow).filter((p) => p.severity === 'error')).toEqual([]);
    const { text } = compileToCgpl(flow);
    expect(text).toContain('exit = null;');
    expect(text).toContain('key = ReadInput(5);');
    const dir = await mkdtemp(join(tmpdir(), 'code-node-'));
    const { program, errors } = programFromFlow(flow, { dir });
    expect(errors).toEqual([]);
    const heard = async (dtmf: string) => {
      const out = await runOn(program!, 'cgpl', { caller: dtmf ? [{ listen: true }, { dtmf }] : [], smtpUp: true });
      return out.events.filter((e) => e.kind === 'prompt-started').map((e) => e.name);
    };
    expect(await heard('1')).toEqual(['Sales']);
    expect(await heard('2')).toEqual(['Help']);
    expect(await heard('9')).toEqual(['Other']);
    expect(await heard('')).toEqual(['Other']);
  });

  it('is refused by the JS target, naming the node', () => {
    const flow = flowWith([block('PlayFile("a");')], []);
    expect(() => compileToJs(flow)).toThrow(/node block \(code\).*use the cgpl target/);
  });
});

describe('module call node', () => {
  const call = (data: object) => ({ id: 'block', type: 'moduleCall', data });

  async function environment(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'module-call-'));
    await writeFile(
      join(dir, 'greet.sppi'),
      'procedure Hello(name) is PlayFile(name); end;\nfunction Twice(s) is return s + s; end;\n',
    );
    return dir;
  }

  it('is checked against the module in the environment', async () => {
    const dir = await environment();
    const errorsOf = (data: object) =>
      validateFlow(flowWith([call(data)], []), { baseDir: dir })
        .filter((p) => p.severity === 'error')
        .map((p) => p.code);
    expect(errorsOf({ module: 'greet', routine: 'Hello', args: ['x'] })).toEqual([]);
    expect(errorsOf({ module: 'greet', routine: 'Hello', args: [] })).toEqual(['CGPL209']);
    expect(errorsOf({ module: 'greet', routine: 'Bye', args: ['x'] })).toEqual(['CGPL209']);
    expect(errorsOf({ module: 'nothere', routine: 'Hello', args: ['x'] })).toEqual(['CGPL209']);
    expect(errorsOf({ module: 'greet', routine: 'Twice', kind: 'function', args: ['x'], result: 'who' })).toEqual([]);
  });

  it('compiles to an external declaration and a qualified call the interpreter runs', async () => {
    const dir = await environment();
    const flow = flowWith(
      [
        call({ module: 'greet', routine: 'Twice', kind: 'function', args: ['ab'], result: 'who' }),
        call({ module: 'greet', routine: 'Hello', args: ['{{who}}'] }),
      ].map((n, i) => ({ ...n, id: i === 0 ? 'block' : 'hello' })),
      [{ id: 'e1', source: 'block', sourceHandle: 'next', target: 'hello' }],
    );
    const { text } = compileToCgpl(flow);
    expect(text).toContain('function greet::Twice(p1) external;');
    expect(text).toContain('who = greet::Twice("ab");');
    const { program, errors } = programFromFlow(flow, { dir });
    expect(errors).toEqual([]);
    const out = await runOn(program!, 'cgpl', { caller: [], smtpUp: true });
    expect(out.events.filter((e) => e.kind === 'prompt-started').map((e) => e.name)).toEqual(['abab']);
  });
});
