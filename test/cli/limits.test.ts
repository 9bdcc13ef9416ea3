// Programs and flows past their size limit, and files that are not regular files, are one line
// each — never an out-of-memory abort, a parser's internal error or a read that blocks for good.
import { execFileSync } from 'node:child_process';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProgram } from '../../runtime/host';
import { cli, noStackTrace } from './run';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-limits-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file of `mb` megabytes without writing them (sparse). */
async function sized(name: string, mb: number): Promise<string> {
  const file = join(dir, name);
  const handle = await open(file, 'w');
  await handle.truncate(mb * 1024 * 1024);
  await handle.close();
  return file;
}

describe('size limits at the loading boundary', () => {
  it('a 50 MB program: parse, check and simulate each say so in one line, exit 1', async () => {
    const file = await sized('huge.sppr', 50);
    const line = `ivr-studio: ${file}: the file is 50.0 MB; programs are limited to 16.0 MB (IVR_STUDIO_MAX_PROGRAM_MB changes it)`;
    for (const command of ['parse', 'simulate']) {
      const run = await cli(command, file, ...(command === 'simulate' ? ['--outbox', join(dir, 'outbox')] : []));
      expect(run.code, command).toBe(1);
      expect(run.errLines, command).toEqual([line]);
      expect(noStackTrace(run.err)).toBe(true);
    }
  });

  it('a 20 MB string literal is refused by the limit, not by the parser failing at 1:1', async () => {
    const file = join(dir, 'literal.sppr');
    await writeFile(file, `entry Main is\n  x = "${'a'.repeat(20 * 1024 * 1024)}";\nend;\n`);
    const run = await cli('parse', file);
    expect(run.code).toBe(1);
    expect(run.errLines).toEqual([
      expect.stringMatching(/: the file is 20\.0 MB; programs are limited to 16\.0 MB \(IVR_STUDIO_MAX_PROGRAM_MB/),
    ]);
    expect(run.err).not.toMatch(/internal|RangeError/);
  });

  it('the limits are configurable: IVR_STUDIO_MAX_PROGRAM_MB and IVR_STUDIO_MAX_FLOW_MB', async () => {
    const program = join(dir, 'small.sppr');
    await writeFile(program, `entry Main is\n  x = "${'b'.repeat(2 * 1024 * 1024)}";\nend;\n`);
    const flow = await sized('flow.json', 3);
    process.env.IVR_STUDIO_MAX_PROGRAM_MB = '1';
    process.env.IVR_STUDIO_MAX_FLOW_MB = '2';
    try {
      expect((await cli('parse', program)).errLines).toEqual([
        expect.stringMatching(/: the file is 2\.0 MB; programs are limited to 1\.0 MB/),
      ]);
      expect((await loadProgram(flow)).errors).toEqual([
        `${flow}: the file is 3.0 MB; flows are limited to 2.0 MB (IVR_STUDIO_MAX_FLOW_MB changes it)`,
      ]);
      expect((await cli('validate', flow)).errLines).toEqual([
        `ivr-studio: ${flow}: the file is 3.0 MB; flows are limited to 2.0 MB (IVR_STUDIO_MAX_FLOW_MB changes it)`,
      ]);
    } finally {
      delete process.env.IVR_STUDIO_MAX_PROGRAM_MB;
      delete process.env.IVR_STUDIO_MAX_FLOW_MB;
    }
    expect((await cli('parse', program)).code).toBe(0);
  });

  it('a named pipe is not read (it would block): one line', async () => {
    const fifo = join(dir, 'pipe.sppr');
    execFileSync('mkfifo', [fifo]);
    const run = await cli('parse', fifo);
    expect(run.code).toBe(1);
    expect(run.errLines).toEqual([`ivr-studio: ${fifo}: not a regular file`]);
    expect((await loadProgram(fifo)).errors).toEqual([`${fifo}: not a regular file`]);
  });
});
