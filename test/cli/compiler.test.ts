// validate · compile · export · parse, as a user runs them.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, noStackTrace } from './run';

const CALLBACK = 'samples/callback/flow.json';
const AUTOSECRETARY = 'samples/autosecretary/flow.json';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ivr-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The callback flow with one change, written to the temp folder (its prompt files still found). */
async function variant(name: string, change: (flow: Record<string, any>) => void): Promise<string> {
  const flow = JSON.parse(await readFile(CALLBACK, 'utf8'));
  for (const prompt of Object.values(flow.prompts) as { files: Record<string, string> }[]) {
    for (const [language, file] of Object.entries(prompt.files))
      prompt.files[language] = resolve('samples/callback', file);
  }
  change(flow);
  const file = join(tmp, name);
  await writeFile(file, JSON.stringify(flow, null, 2));
  return file;
}

describe('ivr-studio validate', () => {
  it('a clean sample: exit 0, "no errors"', async () => {
    for (const sample of [CALLBACK, AUTOSECRETARY]) {
      const run = await cli('validate', sample);
      expect(run.code).toBe(0);
      expect(run.out).toBe(`${sample}: no errors\n`);
      expect(run.err).toBe('');
    }
  });

  it('a flow with errors: exit 1, each problem printed with its node and field', async () => {
    const file = await variant('errors.json', (flow) => {
      const number = flow.nodes.find((n: { id: string }) => n.id === 'number');
      number.data.endKey = 'x';
      const mail = flow.nodes.find((n: { id: string }) => n.id === 'mail');
      mail.data.subject = 'Call {{nosuchvariable}}';
    });
    const run = await cli('validate', file);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/node number .*endKey.*error/);
    expect(run.out).toMatch(/node mail .*subject.*error.*nosuchvariable/);
    expect(run.errLines).toEqual([`ivr-studio: ${file}: 2 errors`]);
  });
});

describe('ivr-studio compile', () => {
  it('-o and --source-map write the program and its line → node map', async () => {
    const out = join(tmp, 'callback.sppr');
    const map = join(tmp, 'callback.map.json');
    const run = await cli('compile', CALLBACK, '-o', out, '--source-map', map);
    expect(run.code).toBe(0);
    expect(run.out).toBe('');
    const text = await readFile(out, 'utf8');
    expect(text).toBe(await readFile('samples/callback/callback.expected.sppr', 'utf8'));
    const sourceMap = JSON.parse(await readFile(map, 'utf8'));
    expect(sourceMap.file).toBe('callback.sppr');
    expect(sourceMap.lines).toHaveLength(text.split('\n').length - 1);
    // the SendEMail line belongs to the mail node
    const sendLine = text.split('\n').findIndex((l) => l.includes('SendEMail('));
    expect(sourceMap.lines[sendLine]).toBe('mail');
  });

  it('without -o the program goes to stdout', async () => {
    const run = await cli('compile', CALLBACK);
    expect(run.code).toBe(0);
    expect(run.out).toBe(await readFile('samples/callback/callback.expected.sppr', 'utf8'));
  });

  it('--target js writes a module that imports and has a default function', async () => {
    const out = join(tmp, 'callback.mjs');
    const run = await cli('compile', CALLBACK, '--target', 'js', '-o', out);
    expect(run.code).toBe(0);
    const mod = await import(/* @vite-ignore */ pathToFileURL(out).href);
    expect(typeof mod.default).toBe('function');
  });

  it('compile then parse, for both samples (the acceptance sequence)', async () => {
    for (const [sample, name] of [
      [CALLBACK, 'callback'],
      [AUTOSECRETARY, 'autosecretary'],
    ]) {
      const out = join(tmp, `${name}.sppr`);
      expect((await cli('compile', sample, '-o', out)).code).toBe(0);
      const parsed = await cli('parse', out);
      expect(parsed.code).toBe(0);
      expect(parsed.out).toBe(`${out}: OK\n`);
      expect(parsed.err).toBe('');
    }
  });
});

describe('ivr-studio export', () => {
  it('-o env.tar writes the environment and lists it', async () => {
    const tarFile = join(tmp, 'env.tar');
    const run = await cli('export', CALLBACK, '-o', tarFile);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^wrote .*env\.tar \(15 files\)\n {2}callback\.sppr\n/);
    const files: string[] = [];
    await list({
      file: tarFile,
      onReadEntry: (e) => {
        if (e.type === 'File') files.push(e.path);
      },
    });
    expect(files).toContain('callback.sppr');
    expect(files).toContain('CallbackBusy.wav');
    expect(files).toContain('russian/CallbackBusy.wav');
    expect(files).toHaveLength(15);
  });
});

describe('ivr-studio parse', () => {
  it('a broken program: exit 1, file:line:col of each error', async () => {
    const file = join(tmp, 'broken.sppr');
    await writeFile(file, 'entry Main is\n  x = ;\n  if x then\nend;\n');
    const run = await cli('parse', file);
    expect(run.code).toBe(1);
    expect(run.errLines[0]).toMatch(new RegExp(`^${escapeRegExp(file)}:2:7: `));
    expect(run.err).toMatch(/:\d+:\d+: .*(end if|if)/i);
    expect(run.errLines.at(-1)).toMatch(/: \d+ errors?$/);
    expect(run.out).toBe('');
  });
});

describe('bad input: one clear line on stderr, exit 1', () => {
  it('a missing file', async () => {
    const missing = join(tmp, 'nope.json');
    for (const command of ['validate', 'compile']) {
      const run = await cli(command, missing);
      expect(run.code).toBe(1);
      expect(run.errLines).toEqual([`ivr-studio: cannot read flow file ${missing}: no such file or directory`]);
    }
  });

  it('a file that is not JSON, with line:col', async () => {
    const file = join(tmp, 'bad.json');
    await writeFile(file, '{ "format": "ivr-studio/flow@1",\n  "name": }\n');
    const run = await cli('compile', file);
    expect(run.code).toBe(1);
    expect(run.errLines).toHaveLength(1);
    expect(run.errLines[0]).toMatch(new RegExp(`${escapeRegExp(file)}:2:11: error FLOW301: invalid JSON`));
    expect(run.out).toBe('');
  });

  it('a flow of another format version', async () => {
    const file = await variant('v9.json', (flow) => {
      flow.format = 'ivr-studio/flow@9';
    });
    const run = await cli('compile', file);
    expect(run.code).toBe(1);
    expect(run.errLines).toHaveLength(1);
    expect(run.errLines[0]).toMatch(/unsupported format "ivr-studio\/flow@9": expected 'ivr-studio\/flow@1'/);
  });

  it('an unknown --target', async () => {
    const run = await cli('compile', CALLBACK, '--target', 'cobol');
    expect(run.code).toBe(1);
    expect(run.errLines).toEqual([`ivr-studio: unknown --target 'cobol': use cgpl or js`]);
    expect(run.out).toBe('');
  });

  it('none of them prints a stack trace', async () => {
    const runs = await Promise.all([
      cli('compile', join(tmp, 'nope.json')),
      cli('parse', join(tmp, 'nope.sppr')),
      cli('export', CALLBACK),
      cli('frobnicate'),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(noStackTrace(run.err)).toBe(true);
    }
  });
});

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
