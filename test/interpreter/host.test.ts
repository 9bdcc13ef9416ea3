// The run options a host uses: source map, debugger hook, limits, modules, start parameters.
import { describe, expect, it } from 'vitest';
import { parseCgpl, type Program } from '../../compiler/cgpl';
import { checkProgram, formatRunError, runProgram } from '../../runtime/cgpl';
import { TestCall } from '../helpers/testCall';

function parse(source: string): Program {
  const r = parseCgpl(source, 'test.sppr');
  expect(r.diagnostics).toEqual([]);
  return r.program!;
}

describe('run options', () => {
  it('reports flow nodes from the source map when the node changes', async () => {
    const p = parse(
      ['entry Main is', '  x = 1;', '  y = 2;', '  i = 0;', '  loop exitif i == 2; i += 1; end loop;', 'end;'].join(
        '\n',
      ),
    );
    const s = new TestCall();
    const map: Record<number, string> = { 2: 'start', 3: 'start', 4: 'menu', 5: 'loop' };
    await runProgram(p, s, { lineToNode: (line) => map[line] ?? null });
    expect(s.nodes).toEqual(['start', 'menu', 'loop']);
  });

  it('awaits the debugger hook before every statement', async () => {
    const p = parse('entry Main is\n  x = 1;\n  SysLog("a");\nend;');
    const s = new TestCall();
    const seen: string[] = [];
    await runProgram(p, s, {
      file: 'dbg.sppr',
      onStep: async (pos) => {
        await new Promise((r) => setTimeout(r, 1));
        seen.push(`${pos.file}:${pos.line}:${pos.col} logs=${s.logs.length}`);
      },
    });
    expect(seen).toEqual(['dbg.sppr:2:3 logs=0', 'dbg.sppr:3:3 logs=0']);
    expect(s.logs).toEqual(['a']);
  });

  it('stops a task that runs past the wall clock, even while waiting on the call', async () => {
    const p = parse('entry Main is\n  x = ReadInput(600);\nend;');
    const s = new TestCall();
    s.readInput = () => new Promise(() => undefined);
    const t0 = Date.now();
    const r = await runProgram(p, s, { wallClockMs: 50 });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.ended).toBe('error');
    expect(r.error).toMatchObject({ line: 2, message: 'wall-clock limit exhausted (runaway loop?)' });
  });

  it('stops a pure loop that runs past the wall clock', async () => {
    const r = await runProgram(parse('entry Main is loop x = 1; end loop; end;'), new TestCall(), {
      wallClockMs: 30,
      stepBudget: 1e12,
    });
    expect(r.error?.message).toBe('wall-clock limit exhausted (runaway loop?)');
  });

  it('loads external procedures and module::name calls through the module loader', async () => {
    const modules: Record<string, string> = {
      playnumber: 'procedure PlayNumber(n) is SysLog("number " + String(n)); end;',
      util: 'function Double(x) is return Twice(x); end; function Twice(x) is return x * 2; end;',
    };
    const asked: string[] = [];
    const p = parse(
      'procedure playNumber(n) external;\nfunction util::Double(x) external;\nentry Main is\n  playNumber(util::Double(21));\nend;',
    );
    const s = new TestCall();
    const r = await runProgram(p, s, {
      modules: (name) => {
        asked.push(name);
        return modules[name] ? parse(modules[name]) : null;
      },
    });
    expect(r.error).toBeUndefined();
    expect(s.logs).toEqual(['number 42']);
    expect(asked.sort()).toEqual(['playnumber', 'util']);
  });

  it('reports a missing module at the call', async () => {
    const p = parse('function nowhere::F(x) external;\nentry Main is\n  x = nowhere::F(1);\nend;');
    const r = await runProgram(p, new TestCall(), { modules: () => null });
    const message = "module 'nowhere' not found (nowhere.sppi, for external function 'nowhere::F')";
    expect(r.error).toEqual({ severity: 'error', code: 'CGPL209', line: 3, column: 7, message });
    expect(formatRunError(r.error!, 'test.sppr')).toBe(`test.sppr:3:7: error CGPL209: ${message}`);
  });

  it('reports errors inside a module with the module file', async () => {
    const p = parse('procedure Bad() external;\nentry Main is\n  Bad();\nend;');
    const r = await runProgram(p, new TestCall(), {
      file: 'main.sppr',
      modules: () => parse('procedure Bad() is\n  x = 1 / 0;\nend;'),
    });
    expect(r.error).toEqual({
      severity: 'error',
      code: 'RUN401',
      line: 2,
      column: 7,
      message: 'division by zero',
      file: 'bad.sppi',
    });
  });

  it('passes start parameters as CG/PL values', async () => {
    const s = new TestCall();
    await runProgram(parse('entry Main is SysLog(ObjectToString(Vars().startParameter)); end;'), s, {
      startParameter: ['a', 2, { k: true }],
    });
    expect(s.logs).toEqual(['(a,#2,{k=YES;})']);
  });

  it('hangs up once, only while connected', async () => {
    const s = new TestCall();
    await runProgram(parse('entry Main is Void(AcceptCall()); Disconnect(); end;'), s);
    expect(s.disconnects).toHaveLength(1);
    const s2 = new TestCall();
    await runProgram(parse('entry Main is Void(AcceptCall()); end;'), s2);
    expect(s2.disconnects).toHaveLength(1);
  });

  it('turns a failing session into a located CG/PL error', async () => {
    const s = new TestCall();
    s.playFile = async () => {
      throw new Error('no such file');
    };
    const r = await runProgram(parse('entry Main is\n  PlayFile("x");\nend;'), s);
    expect(r.error).toEqual({
      severity: 'error',
      code: 'RUN401',
      line: 2,
      column: 3,
      message: 'PlayFile failed: no such file',
    });
  });

  it('checks a program without running it', () => {
    const p = parse('function F(a) forward;\nentry Main is\n  Foo();\n  x = Length(1, 2);\nend;');
    expect(checkProgram(p).map((d) => `${d.line}: ${d.message}`)).toEqual([
      "1: function 'F' is declared forward but never defined",
      "3: unknown procedure 'Foo'",
      "4: 'Length' expects 1 argument, got 2",
    ]);
  });

  it('starts at another entry when asked', async () => {
    const s = new TestCall();
    const r = await runProgram(parse('entry Main is SysLog("main"); end; entry Other is SysLog("other"); end;'), s, {
      entry: 'other',
    });
    expect(r.ended).toBe('end');
    expect(s.logs).toEqual(['other']);
  });
});
