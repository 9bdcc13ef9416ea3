// Programs in the forms real CommuniGate applications use (fixtures/, written for these tests): each
// parses, prints back to the same tree, passes the checker with its modules, and — for the PBX ones —
// runs the same in both syntax styles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCgpl, printCgpl, type Program } from '../../compiler/cgpl';
import { checkCgpl } from '../../compiler/cgpl/check';
import { formatDiagnostic } from '../../compiler/diagnostics';
import { runProgram } from '../../runtime/cgpl';
import { stripPos } from '../cgpl/helpers';
import { TestCall } from '../helpers/testCall';

const DIR = join(import.meta.dirname, 'fixtures');
const read = (name: string) => readFileSync(join(DIR, name), 'utf8');

function parseClean(name: string): Program {
  const { program, diagnostics } = parseCgpl(read(name), name);
  expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  return program!;
}

const modules = (name: string): Program | null => {
  try {
    return parseCgpl(read(`${name}.sppi`), `${name}.sppi`).program;
  } catch {
    return null;
  }
};

const PROGRAMS = ['ivr.sppr', 'ivr-c.sppr', 'page.wcgp', 'queue.sppi', 'saynumber.sppi', 'helpers.sppi'];

describe.each(PROGRAMS)('%s', (name) => {
  it('parses cleanly and prints to text that parses to the same tree', () => {
    const program = parseClean(name);
    const printed = printCgpl(program).text;
    const again = parseCgpl(printed, name);
    expect(again.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    const noStyle = (p: Program) => stripPos(p.decls).map((d) => ({ ...d, style: undefined }));
    expect(noStyle(again.program!)).toEqual(noStyle(program));
  });

  it('passes the checker, with its modules', () => {
    const { diagnostics } = checkCgpl(parseClean(name), { file: name, modules });
    expect(diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
  });
});

describe('both styles run alike', () => {
  it('ivr.sppr and ivr-c.sppr: the same prompts and logs for the same caller', async () => {
    const run = async (name: string) => {
      const s = new TestCall({ script: ['1', null, '#', null] });
      const r = await runProgram(parseClean(name), s, { file: name, modules });
      return { ended: r.ended, error: r.error?.message, prompts: s.prompts.map((p) => p.name), logs: s.logs };
    };
    const basic = await run('ivr.sppr');
    expect(basic.error).toBeUndefined();
    expect(basic.logs).toEqual(['tally {count=#1;entries=(#1);Result-Code=#200;name=QUEUE;} 1']);
    expect(basic.prompts).toContain('QueuePosition');
    expect(await run('ivr-c.sppr')).toEqual(basic);
  });

  it('task variables keep their values across sections; constants read as their values', async () => {
    const text =
      'var hits;\nconst Step = 2 * 3;\nprocedure Bump() is hits += Step; end;\nentry Main is\n  hits = 1;\n  Bump(); Bump();\n  SysLog(String(hits));\nend;';
    const s = new TestCall();
    const r = await runProgram(parseCgpl(text).program!, s);
    expect(r.error).toBeUndefined();
    expect(s.logs).toEqual(['13']);
  });
});
