// `ivr-studio deploy` as a user runs it: where the password comes from, what a dry run prints, what
// a re-deploy says, and one clear line for every kind of bad input.
import { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { askHidden } from '../../runtime/cli/prompt';
import { cli, noStackTrace } from '../cli/run';
import { samplesCopy, withServer } from './helpers';

let samples: Awaited<ReturnType<typeof samplesCopy>>;
beforeEach(async () => {
  samples = await samplesCopy();
  process.env.IVR_STUDIO_CG_PASSWORD = 'Pw-4-test';
});
afterEach(async () => {
  delete process.env.IVR_STUDIO_CG_PASSWORD;
  await samples.remove();
});

const args = (port: number, ...more: string[]) => [
  'deploy',
  samples.dir,
  '--server',
  `127.0.0.1:${port}`,
  '--domain',
  'company.com',
  '--user',
  'postmaster',
  ...more,
];

describe('ivr-studio deploy', () => {
  it('a dry run prints the conversation and every command it would send, and stores nothing', async () => {
    await withServer({}, async (server) => {
      const r = await cli(...args(server.port, '--dry-run'));
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
      const lines = r.out.trimEnd().split('\n');
      expect(lines[0]).toBe(`${samples.dir}: autosecretary, callback; 34 files, languages: russian → company.com`);
      expect(lines).toContain('C: APOP postmaster <digest>');
      expect(lines).toContain('C: LISTDOMAINPBXFILES "company.com"');
      expect(lines).toContain('C: CREATEDOMAINPBX "company.com"   (dry run: not sent)');
      expect(lines).toContain('C: CREATEDOMAINPBX "company.com" FILE russian   (dry run: not sent)');
      expect(lines.filter((l) => /^C: STOREDOMAINPBXFILE .* \(dry run: not sent\)$/.test(l))).toHaveLength(34);
      expect(lines.at(-1)).toBe(
        `PWD 127.0.0.1:${server.port}: dry run, nothing changed: would create the environment and the russian folder, would store 34 files, 0 unchanged`,
      );
      expect(r.out).not.toContain('Pw-4-test');
      expect(server.domain('company.com').pbx).toBeNull();
    });
  });

  it('deploys with progress per file, then finds nothing to store (password from a file)', async () => {
    await withServer({}, async (server) => {
      delete process.env.IVR_STUDIO_CG_PASSWORD;
      const file = join(samples.dir, '..', 'password');
      await writeFile(file, 'Pw-4-test\n');
      const first = await cli(...args(server.port, '--password-file', file));
      expect(first.errLines).toEqual([]);
      const progress = first.out.split('\n').filter((l) => /^\[\d+\/34\] stored /.test(l));
      expect(progress).toHaveLength(34);
      expect(progress[0]).toBe('[1/34] stored 1.wav (17,316 bytes)');
      expect(progress.at(-1)).toBe('[34/34] stored callback.sppr (822 bytes)');
      expect(first.out.trimEnd().split('\n').at(-1)).toBe(
        `PWD 127.0.0.1:${server.port}: created the environment and the russian folder, stored 34 files, 0 unchanged`,
      );
      const second = await cli(...args(server.port, '--password-file', file));
      expect(second.out.trimEnd().split('\n').at(-1)).toBe(
        `PWD 127.0.0.1:${server.port}: stored 0 files, 34 unchanged`,
      );
    });
  });

  it('deploys an exported .tar, and applies the accounts with --accounts --yes', async () => {
    await withServer({}, async (server) => {
      const tar = join(samples.dir, '..', 'callback.tar');
      expect((await cli('export', join(samples.dir, 'callback/flow.json'), '-o', tar)).code).toBe(0);
      const r = await cli(
        'deploy',
        tar,
        '--server',
        `127.0.0.1:${server.port}`,
        '--domain',
        'company.com',
        '--user',
        'postmaster',
      );
      expect(r.errLines).toEqual([]);
      expect(r.out).toContain('stored 15 files');
      const accounts = await cli(...args(server.port, '--accounts', '--yes'));
      expect(accounts.errLines).toEqual([]);
      expect(accounts.out).toContain('    Language: (default) → russian');
      expect(accounts.out.trimEnd().split('\n').at(-1)).toMatch(/stored 19 files, 15 unchanged, changed 4 accounts$/);
      expect(server.domain('company.com').accounts.get('pbx')!.prefs.get('Language')).toBe('russian');
      const none = await cli(
        'deploy',
        tar,
        '--server',
        `127.0.0.1:${server.port}`,
        '--domain',
        'company.com',
        '--user',
        'postmaster',
        '--accounts',
        '--yes',
      );
      expect(none.errLines).toEqual([`ivr-studio: ${tar}: no accounts to apply (no flow in it declares any)`]);
    });
  });

  it('says in one line what is wrong with the input', async () => {
    await withServer({}, async (server) => {
      const cases: [string[], string | RegExp][] = [
        [
          args(server.port, '--password', 'x'),
          'ivr-studio: --password: a password on the command line shows in ps and in the shell history; set IVR_STUDIO_CG_PASSWORD, use --password-file FILE, or type it when asked',
        ],
        [
          ['deploy', join(samples.dir, 'nope'), ...args(server.port).slice(2)],
          `ivr-studio: ${join(samples.dir, 'nope')}: no such file or folder`,
        ],
        [
          args(server.port).map((a) => (a === 'company.com' ? 'unknown.example' : a)),
          /^ivr-studio: creating the PBX environment of unknown.example: PWD 127\.0\.0\.1:\d+ answered 512 Unknown domain name; nothing was stored$/,
        ],
        [
          args(server.port).map((a) => (a === 'postmaster' ? 'intruder' : a)),
          `ivr-studio: 127.0.0.1:${server.port}: login refused: 515 Incorrect password or account name`,
        ],
        [
          args(server.port).map((a) => (a.startsWith('127.0.0.1:') ? 'bad host:x' : a)),
          "ivr-studio: --server 'bad host:x': expected HOST or HOST:PORT",
        ],
        [args(server.port, '--tls', 'maybe'), "ivr-studio: --tls 'maybe': use auto, require, implicit, off"],
        [
          args(server.port, '--accounts'),
          'ivr-studio: --accounts changes accounts after a question, but stdin is not a terminal: add --yes to apply them',
        ],
        [
          args(server.port, '--password-file', join(samples.dir, 'none')),
          `ivr-studio: --password-file ${join(samples.dir, 'none')}: no such file or directory`,
        ],
      ];
      for (const [argv, want] of cases) {
        const r = await cli(...argv);
        expect(r.code, argv.join(' ')).toBe(1);
        expect(r.errLines, argv.join(' ')).toHaveLength(1);
        if (typeof want === 'string') expect(r.errLines[0]).toBe(want);
        else expect(r.errLines[0]).toMatch(want);
        expect(noStackTrace(r.err)).toBe(true);
      }
      delete process.env.IVR_STUDIO_CG_PASSWORD;
      const none = await cli(...args(server.port));
      expect(none.errLines).toEqual([
        'ivr-studio: no password: set IVR_STUDIO_CG_PASSWORD, use --password-file FILE, or run in a terminal to type it',
      ]);
    });
  });

  it('a flow with errors is refused before connecting, with where the error is', async () => {
    const flowFile = join(samples.dir, 'callback/flow.json');
    const flow = JSON.parse(await (await import('node:fs/promises')).readFile(flowFile, 'utf8'));
    flow.edges.push({ id: 'bad', source: 'ghost', sourceHandle: 'next', target: 'ghost2' });
    await writeFile(flowFile, JSON.stringify(flow));
    const r = await cli(
      'deploy',
      join(samples.dir, 'callback'),
      '--server',
      '127.0.0.1:1',
      '--domain',
      'company.com',
      '--user',
      'postmaster',
    );
    expect(r.code).toBe(1);
    expect(r.errLines).toHaveLength(1);
    expect(r.errLines[0]).toBe(
      `ivr-studio: ${flowFile}: edge bad field source: error FLOW310: edge from unknown node 'ghost' (and 1 more)`,
    );
  });

  it('an unreachable server is one line', async () => {
    const port = await withServer({}, async (s) => s.port);
    const r = await cli(...args(port));
    expect(r.errLines).toEqual([
      `ivr-studio: 127.0.0.1:${port}: connection refused (is the CLI listener on that port?)`,
    ]);
  });
});

describe('the password question', () => {
  function fakeTty() {
    const input = Object.assign(new EventEmitter(), {
      isTTY: true,
      raw: false,
      setRawMode(on: boolean) {
        input.raw = on;
      },
      resume() {},
      pause() {},
    });
    let shown = '';
    return { input, output: { write: (t: string) => (shown += t) }, shown: () => shown };
  }

  it('reads a line without echo, with Backspace; Ctrl+C cancels', async () => {
    const t = fakeTty();
    const answer = askHidden('Password: ', t.input, t.output);
    expect(t.input.raw).toBe(true);
    t.input.emit('data', Buffer.from('se'));
    t.input.emit('data', Buffer.from('cx\u007fret\r'));
    expect(await answer).toBe('secret');
    expect(t.shown()).toBe('Password: \n');
    expect(t.input.raw).toBe(false);

    const c = fakeTty();
    const cancelled = askHidden('Password: ', c.input, c.output);
    c.input.emit('data', 'ab\u0003');
    await expect(cancelled).rejects.toThrow('cancelled');
  });
});
