// The registry table, call by call: for every documented built-in, too few and too many arguments, a
// function used as a statement and a procedure used as a value are refused with the right code and
// position — by the checker, and by the interpreter before the task starts (never more lenient).
import { describe, expect, it } from 'vitest';
import { parseCgpl } from '../../compiler/cgpl';
import { availableIn, BUILTIN_SPECS, type BuiltinSpec } from '../../compiler/cgpl/builtins';
import { checkCgpl } from '../../compiler/cgpl/check';
import { runProgram } from '../../runtime/cgpl';
import { IMPLEMENTATIONS } from '../../runtime/cgpl/builtins/index';
import { TestCall } from '../helpers/testCall';

/** A file where the built-in exists: PBX for plain CG/PL and PBX ones, a WebApp for WebApp ones. */
const fileFor = (spec: BuiltinSpec) =>
  spec.environments.includes('webapp') && !spec.environments.includes('pbx') ? 'x.wcgp' : 'x.sppr';
const args = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1)).join(', ');

interface Case {
  what: string;
  line: string;
  code: string;
  column: number;
}

function cases(spec: BuiltinSpec): Case[] {
  const use = (n: number): { line: string; column: number } =>
    spec.kind === 'function'
      ? { line: `x = ${spec.name}(${args(n)});`, column: 7 }
      : { line: `${spec.name}(${args(n)});`, column: 3 };
  const out: Case[] = [];
  if (spec.min > 0) out.push({ what: 'too few', ...use(spec.min - 1), code: 'CGPL202' });
  if (Number.isFinite(spec.max)) out.push({ what: 'too many', ...use(spec.max + 1), code: 'CGPL202' });
  if (spec.kind === 'function')
    out.push({ what: 'function as a statement', line: `${spec.name}(${args(spec.min)});`, column: 3, code: 'CGPL203' });
  else
    out.push({
      what: 'procedure as a value',
      line: `x = ${spec.name}(${args(spec.min)});`,
      column: 7,
      code: 'CGPL204',
    });
  return out;
}

const source = (line: string) => `entry Main is\n  ${line}\nend;\n`;

describe('every built-in of the registry', () => {
  it('has a sane row: kind, 0 <= min <= max, a known environment', () => {
    expect(BUILTIN_SPECS.length).toBeGreaterThanOrEqual(340);
    const names = new Set<string>();
    for (const b of BUILTIN_SPECS) {
      expect(names.has(b.name.toLowerCase()), `${b.name} listed twice`).toBe(false);
      names.add(b.name.toLowerCase());
      expect(b.min).toBeGreaterThanOrEqual(0);
      expect(b.max).toBeGreaterThanOrEqual(b.min);
      expect(b.environments.length).toBeGreaterThan(0);
    }
  });

  it.each(BUILTIN_SPECS.map((b) => [b.name, b] as const))('%s: wrong use is refused at its position', (_, spec) => {
    const file = fileFor(spec);
    for (const c of cases(spec)) {
      const { program, diagnostics } = parseCgpl(source(c.line), file);
      expect(diagnostics, `${c.what}: ${c.line}`).toEqual([]);
      const found = checkCgpl(program!, { file }).diagnostics;
      expect(
        found.map((d) => `${d.code} ${d.line}:${d.column}`),
        `${c.what}: ${c.line}`,
      ).toEqual([`${c.code} 2:${c.column}`]);
    }
    // and the right use passes
    const ok = spec.kind === 'function' ? `x = ${spec.name}(${args(spec.min)});` : `${spec.name}(${args(spec.min)});`;
    expect(checkCgpl(parseCgpl(source(ok), file).program!, { file }).diagnostics).toEqual([]);
  });

  it('the interpreter refuses the same calls with the same codes, before anything runs', async () => {
    for (const spec of BUILTIN_SPECS) {
      for (const c of cases(spec)) {
        const session = new TestCall();
        const file = fileFor(spec);
        const r = await runProgram(parseCgpl(source(`SysLog("ran"); ${c.line}`), file).program!, session, { file });
        expect(r.ended, `${spec.name} ${c.what}`).toBe('error');
        expect(r.error?.code, `${spec.name} ${c.what}`).toBe(c.code);
        expect(session.logs).toEqual([]);
      }
    }
  });
});

describe('the local runtime implements a part of the registry', () => {
  it('every implementation is a registry built-in of the same kind', () => {
    for (const [key, impl] of IMPLEMENTATIONS) {
      const spec = BUILTIN_SPECS.find((b) => b.name.toLowerCase() === key);
      expect(spec, `${impl.name} is not in the registry`).toBeDefined();
      expect(impl.kind, impl.name).toBe(spec!.kind);
    }
  });

  it('a documented built-in it does not implement stops the task with RUN403 where it is called', async () => {
    // whichever PBX-program function is still missing (the list shrinks as the runtime grows)
    const missing = BUILTIN_SPECS.find(
      (b) => b.kind === 'function' && !IMPLEMENTATIONS.has(b.name.toLowerCase()) && availableIn(b, 'pbx'),
    )!;
    expect(missing).toBeDefined();
    const session = new TestCall();
    const text = `entry Main is\n  SysLog("before");\n  x = ${missing.name}(${args(missing.min)});\n  SysLog("after");\nend;`;
    const r = await runProgram(parseCgpl(text).program!, session, { file: 'x.sppr' });
    expect(session.logs).toEqual(['before']);
    expect(r.error).toMatchObject({ code: 'RUN403', line: 3, column: 7 });
    expect(r.error?.message).toBe(`${missing.name} is not supported by the local runtime`);
  });

  it('refuses the calls the old interpreter let through (issue 11)', async () => {
    for (const [line, code] of [
      ['x = Substring("abc", 1);', 'CGPL202'],
      ['RejectCall();', 'CGPL202'],
      ['x = ProvisionCall();', 'CGPL202'],
      ['x = BreakBridge(1);', 'CGPL202'],
      ['SetInterruptOnDTMF(false);', 'CGPL203'],
      ['AcceptCall();', 'CGPL203'],
    ] as const) {
      const r = await runProgram(parseCgpl(source(line), 'x.sppr').program!, new TestCall(), { file: 'x.sppr' });
      expect(r.error?.code, line).toBe(code);
    }
  });
});
