// `ivr-studio validate … | head`: the reader of stdout goes away while the CLI is still writing. A real
// process (the bin), since only a real pipe gives EPIPE.
import { spawn } from 'node:child_process';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ivr-pipe-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** The callback flow with 20,000 unreachable prompts: one warning line each, far beyond a pipe's buffer. */
async function noisyFlow(): Promise<string> {
  const flow = JSON.parse(await readFile('samples/callback/flow.json', 'utf8'));
  const play = flow.nodes.find((n: { type: string }) => n.type === 'play');
  for (let i = 0; i < 20_000; i++) flow.nodes.push({ ...structuredClone(play), id: `orphan${i}` });
  const file = join(tmp, 'flow.json');
  await writeFile(file, JSON.stringify(flow));
  return file;
}

describe('a closed stdout', () => {
  it('validate piped into a reader that stops after one line: no EPIPE, the exit code is its own', {
    timeout: 60_000,
  }, async () => {
    const file = await noisyFlow();
    const child = spawn(process.execPath, ['bin/ivr-studio.js', 'validate', file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      err += t;
    });
    // Like `head -1`: read the first chunk, then close the read end.
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (b: Buffer) => resolve(String(b))));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(first).toMatch(/node orphan0 \(play\) .*unreachable/);
    expect(err).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
    // The prompts' WAV files are not beside the copy: errors, so validate's own exit code 1.
    expect(err.trim().split('\n')).toEqual([expect.stringMatching(/^ivr-studio: .*flow\.json: \d+ errors\b/)]);
    expect(code).toBe(1);
  });
});
