// parse · check · validate: one line per diagnostic with its code, or --json on stdout.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../compiler/diagnostics';
import { cli } from './run';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ivr-diag-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function program(name: string, text: string): Promise<string> {
  const file = join(tmp, name);
  await writeFile(file, text);
  return file;
}

interface JsonReport {
  ok: boolean;
  errors: number;
  warnings: number;
  diagnostics: { severity: string; code: string; message: string; file: string; line?: number; column?: number }[];
}

describe('ivr-studio parse', () => {
  it('prints file:line:column: error CODE: message', async () => {
    const file = await program('broken.sppr', 'entry Main is\n  x = ;\nend;\n');
    const run = await cli('parse', file);
    expect(run.code).toBe(1);
    expect(run.errLines[0]).toBe(`${file}:2:7: error CGPL110: expected an expression, found ';'`);
    expect(run.errLines.at(-1)).toBe(`${file}: 1 error`);
  });

  it('--json: the same diagnostics as one JSON document on stdout, nothing on stderr', async () => {
    const file = await program('two.sppr', 'entry Main is\n  x = ;\n  y = );\nend;\n');
    const run = await cli('parse', file, '--json');
    expect(run.code).toBe(1);
    expect(run.err).toBe('');
    const report = JSON.parse(run.out) as JsonReport;
    expect(report).toMatchObject({ ok: false, errors: 2, warnings: 0 });
    expect(report.diagnostics.map((d) => [d.code, d.line, d.column, d.file])).toEqual([
      ['CGPL110', 2, 7, file],
      ['CGPL110', 3, 7, file],
    ]);
    for (const d of report.diagnostics) expect(DIAGNOSTIC_CODES).toContain(d.code);
  });

  it('runs the checker on the file alone: built-in arity and names, without reading modules', async () => {
    const file = await program(
      'arity.sppr',
      'procedure P(x) external;\nentry Main is\n  P(1);\n  x = Substring("abc", 1);\nend;\n',
    );
    const run = await cli('parse', file);
    expect(run.code).toBe(1);
    expect(run.errLines).toEqual([
      `${file}:4:7: error CGPL202: 'Substring' expects 3 arguments, got 2`,
      `${file}: 1 error`,
    ]);
  });

  it('--json on a clean program: ok, exit 0', async () => {
    const file = await program('ok.sppr', 'entry Main is\n  stop;\nend;\n');
    const run = await cli('parse', file, '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual({ ok: true, errors: 0, warnings: 0, diagnostics: [] });
  });
});

describe('ivr-studio check', () => {
  it('refuses what parses but the server would not compile, with codes and positions', async () => {
    const file = await program('bad.sppr', 'entry Main is\n  PlayFiel("x");\n  x = ClearDTMF();\nend;\n');
    const run = await cli('check', file);
    expect(run.code).toBe(1);
    expect(run.errLines).toEqual([
      `${file}:2:3: error CGPL201: unknown procedure 'PlayFiel'`,
      `${file}:3:7: error CGPL204: 'ClearDTMF' is a procedure and has no value`,
      `${file}: 2 errors`,
    ]);
  });

  it('--json, and a clean program is OK', async () => {
    const bad = await program('bad2.sppr', 'entry Main is\n  exitif true;\nend;\n');
    const report = JSON.parse((await cli('check', bad, '--json')).out) as JsonReport;
    expect(report.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(['2:3 CGPL210']);
    const good = await program('good.sppr', 'entry Main is\n  PlayFile("hello");\nend;\n');
    const run = await cli('check', good);
    expect(run.code).toBe(0);
    expect(run.out).toBe(`${good}: OK\n`);
  });

  it('warns (RUN403, exit 0) about built-ins the server has but the local runtime does not carry out', async () => {
    const file = await program('http.sppr', 'entry Main is\n  x = HTTPCall("http://example.com/", null);\nend;\n');
    const run = await cli('check', file);
    expect(run.code).toBe(0);
    expect(run.errLines).toEqual([
      `${file}:2:7: warning RUN403: HTTPCall is not supported by the local runtime: the task stops with an error when it gets here`,
    ]);
    expect(run.out).toBe(`${file}: OK, 1 warning\n`);
  });

  it('a syntax error stops at the parser: only CGPL1xx codes', async () => {
    const file = await program('syntax.sppr', 'entry Main is\n  PlayFiel("x")\nend;\n');
    const report = JSON.parse((await cli('check', file, '--json')).out) as JsonReport;
    expect(report.diagnostics.map((d) => d.code)).toEqual(['CGPL112']);
  });
});

describe('ivr-studio validate --json', () => {
  it('lists flow problems with FLOW codes, node ids and fields', async () => {
    const file = join(tmp, 'flow.json');
    await writeFile(file, '{ "format": "ivr-studio/flow@1",\n  "name": }\n');
    const run = await cli('validate', file, '--json');
    expect(run.code).toBe(1);
    const report = JSON.parse(run.out) as JsonReport;
    expect(report.diagnostics).toEqual([expect.objectContaining({ code: 'FLOW301', line: 2, column: 11, file })]);
  });

  it('a clean sample: ok with no errors', async () => {
    const run = await cli('validate', 'samples/callback/flow.json', '--json');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ ok: true, errors: 0 });
  });
});

describe('the catalogue', () => {
  it('docs/cgpl-front-end.md lists every code, and codes sit in their ranges', async () => {
    const { readFile } = await import('node:fs/promises');
    const doc = await readFile('docs/cgpl-front-end.md', 'utf8');
    for (const code of DIAGNOSTIC_CODES) {
      expect(doc, `${code} is not documented`).toContain(`\`${code}\``);
      expect(code).toMatch(/^(CGPL[12]\d\d|FLOW3\d\d|RUN4\d\d)$/);
    }
  });
});
