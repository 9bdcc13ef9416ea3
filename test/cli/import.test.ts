// ivr-studio import, as a user runs it: the seed program becomes a flow that validates, compiles and
// finds its recordings; bad programs get one line per error with file:line:column, no stack trace.
import fc from 'fast-check';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importCgpl } from '../../compiler/import';
import { SEED } from '../helpers/seed';
import { cli, noStackTrace } from './run';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ivr-import-cli-'));
  for (const f of await readdir('samples/callback'))
    if (f.endsWith('.wav')) await copyFile(join('samples/callback', f), join(tmp, f));
  await copyFile(SEED, join(tmp, 'callback.sppr'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('ivr-studio import', () => {
  it('writes a laid-out flow that finds the recordings beside the program and compiles', async () => {
    const out = join(tmp, 'flow.json');
    const run = await cli('import', join(tmp, 'callback.sppr'), '-o', out);
    expect(run.code).toBe(0);
    expect(run.errLines[0]).toBe(`wrote ${out}: 5 nodes (1 start, 2 play, 1 sendEmail, 1 collectDigits)`);
    expect(run.errLines.slice(1).every((l) => / warning FLOW312: /.test(l))).toBe(true);
    const flow = JSON.parse(await readFile(out, 'utf8'));
    expect(flow.name).toBe('callback');
    expect(flow.prompts.CallbackBusy.files.english).toBe('CallbackBusy.wav');
    // laid out top to bottom: every node has its own place
    const places = new Set(
      flow.nodes.map((n: { position: { x: number; y: number } }) => `${n.position.x},${n.position.y}`),
    );
    expect(places.size).toBe(flow.nodes.length);
    const compiled = await cli('compile', out);
    expect(compiled.code).toBe(0);
    expect(compiled.out).toContain('if accumulator == "" then stop; end if;');
  });

  it('reports each syntax error with file:line:column and writes nothing', async () => {
    const bad = join(tmp, 'bad.sppr');
    await writeFile(bad, 'entry Main is\n  PlayFile("a")\n  stop;\nend;\n');
    const run = await cli('import', bad, '-o', join(tmp, 'bad.json'));
    expect(run.code).toBe(1);
    expect(run.errLines).toEqual([
      `${bad}:2:16: error CGPL112: expected ';' after the call to PlayFile, found 'stop'`,
      `ivr-studio: ${bad}: not imported (1 error(s))`,
    ]);
    await expect(readFile(join(tmp, 'bad.json'))).rejects.toThrow();
  });

  it('refuses a program the checker refuses, saying where', async () => {
    const unknown = join(tmp, 'unknown.sppr');
    await writeFile(unknown, 'entry Main is\n  PlayFle("a");\nend;\n');
    const u = await cli('import', unknown);
    expect(u.code).toBe(1);
    expect(u.errLines[0]).toMatch(new RegExp(`^${unknown.replace(/[/.]/g, '\\$&')}:2:3: error CGPL201: `));
    expect(noStackTrace(u.err)).toBe(true);
  });
});

describe('importCgpl on any text', () => {
  it('never throws: a flow, or problems with a line and column', () => {
    const fragments = fc.constantFrom(
      'entry Main is\n',
      'end;\n',
      'PlayFile("x");\n',
      'if AcceptCall() != null then stop; end if;\n',
      'loop\n',
      'end loop;\n',
      'x = ReadInput(5);\n',
      'exitif x == "#";\n',
      'if x == "1" then\n',
      'else\n',
      'end if;\n',
      'stop;\n',
      '"',
      '(',
      'procedure P() is\n',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(fragments, fc.string({ maxLength: 6 })), { maxLength: 20 }), (parts) => {
        const r = importCgpl(parts.join(''), { file: 'fuzz.sppr' });
        if (r.flow === null) {
          expect(r.problems.length).toBeGreaterThan(0);
          for (const p of r.problems) expect(p.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('ivr-studio compile --target js', () => {
  it('refuses a flow with a code node in one line naming the node', async () => {
    const imported = join(tmp, 'counted.json');
    await writeFile(
      join(tmp, 'counted.sppr'),
      'entry Main is\n  n = 0;\n  while n < 2 loop\n    n = n + 1;\n  end loop;\nend;\n',
    );
    expect((await cli('import', join(tmp, 'counted.sppr'), '-o', imported)).code).toBe(0);
    const run = await cli('compile', imported, '--target', 'js');
    expect(run.code).toBe(1);
    expect(run.errLines.at(-1)).toBe(
      `ivr-studio: ${imported}: the JS target does not run CG/PL: node code1 (code) is a CG/PL code node; use the cgpl target`,
    );
    expect((await cli('compile', imported)).code).toBe(0);
  });
});
