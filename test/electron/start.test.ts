import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launcherArgs, runStart as runStartCommand, START_LAUNCHER } from '../../runtime/cli/commands/start';
import { findElectron, NO_BINARY, NOT_INSTALLED } from '../../electron/locate';
import { chooseStartMode, runStart, startMain } from '../../electron/start';
import { main } from '../../runtime/cli/main';
import { waitFor } from '../helpers/waitFor';

const missing = { ok: false as const, reason: NOT_INSTALLED };

/**
 * Runs a start with no PATH and a fresh temporary folder: the browser start (xdg-open / open) fails and
 * is only reported, so no browser pops up while the tests run. Collects what it prints.
 */
async function withoutBrowser(
  prefix: string,
  run: (dir: string, io: { out: string[]; err: string[] }) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const path = process.env.PATH;
  const workspace = process.env.IVR_STUDIO_WORKSPACE;
  process.env.PATH = '';
  // A start without --workspace creates the user's workspace: here, one inside the temporary folder.
  process.env.IVR_STUDIO_WORKSPACE = join(dir, 'IVR Studio');
  try {
    await run(dir, { out: [], err: [] });
  } finally {
    process.env.PATH = path;
    if (workspace === undefined) delete process.env.IVR_STUDIO_WORKSPACE;
    else process.env.IVR_STUDIO_WORKSPACE = workspace;
    await rm(dir, { recursive: true, force: true });
  }
}
const present = { ok: true as const, binary: '/opt/electron/electron' };

describe('findElectron', () => {
  it('answers the binary when require("electron") gives an existing path', () => {
    expect(findElectron({ load: () => '/opt/e/electron', exists: (p) => p === '/opt/e/electron' })).toEqual({
      ok: true,
      binary: '/opt/e/electron',
    });
  });

  it('says "not installed" when the package is missing', () => {
    const notFound = () => {
      throw Object.assign(new Error("Cannot find module 'electron'"), { code: 'MODULE_NOT_FOUND' });
    };
    expect(findElectron({ load: notFound, exists: () => true })).toEqual({ ok: false, reason: NOT_INSTALLED });
  });

  it('says the binary is missing when the package throws (no path.txt) or names a file that is not there', () => {
    const broken = () => {
      throw new Error(
        'Electron failed to install correctly, please delete node_modules/electron and try installing again',
      );
    };
    expect(findElectron({ load: broken, exists: () => true })).toEqual({ ok: false, reason: NO_BINARY });
    expect(findElectron({ load: () => '/nope/electron', exists: () => false })).toEqual({
      ok: false,
      reason: NO_BINARY,
    });
    expect(findElectron({ load: () => ({}), exists: () => true })).toEqual({ ok: false, reason: NO_BINARY });
  });

  it('on this machine: agrees with whether node_modules/electron has its binary', () => {
    const found = findElectron();
    if (found.ok) expect(found.binary).toMatch(/electron/i);
    else expect([NOT_INSTALLED, NO_BINARY]).toContain(found.reason);
  });
});

describe('npm start: Electron or the browser', () => {
  it('uses Electron when it is installed', () => {
    expect(chooseStartMode({}, present)).toEqual({ mode: 'desktop' });
    expect(chooseStartMode({ desktop: true }, present)).toEqual({ mode: 'desktop' });
  });

  it('falls back to the browser with one line saying why', () => {
    expect(chooseStartMode({}, missing)).toEqual({
      mode: 'browser',
      why: 'Electron is not installed (npm run desktop explains how to add it); opening the designer in your browser instead',
    });
  });

  it('--browser and --no-open never try Electron and say nothing about it', () => {
    expect(chooseStartMode({ browser: true }, present)).toEqual({ mode: 'browser', why: null });
    expect(chooseStartMode({ open: false }, present)).toEqual({ mode: 'browser', why: null });
  });

  it('--desktop (npm run desktop) fails with a clear message when Electron is missing', () => {
    expect(() => chooseStartMode({ desktop: true }, missing)).toThrow(
      /cannot start the desktop app: Electron is not installed/,
    );
  });

  it('without Electron, serves the designer like `serve` after the explanation', async () => {
    await withoutBrowser('ivr-start-', async (workspace, { out, err }) => {
      const stop = new AbortController();
      let looked = 0;
      const running = runStart(
        { workspace, open: true },
        { out: (t) => out.push(t), err: (t) => err.push(t) },
        () => {},
        {
          lookup: () => (looked++, missing),
          stop: stop.signal,
        },
      );
      await waitFor('the URL line', () => out.some((l) => l.startsWith('IVR Studio: http')));
      stop.abort();
      await running;
      expect(looked).toBe(1);
      expect(err[0]).toBe(
        'Electron is not installed (npm run desktop explains how to add it); opening the designer in your browser instead\n',
      );
      expect(out[0]).toMatch(/^IVR Studio: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}\n$/);
      expect(out.join('')).toContain('IVR Studio stopped.');
    });
  });

  it('the launcher (npm start) parses its options and reports errors as one line', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (t: string) => err.push(t) };
    expect(await startMain(['node', 'ivr-studio-start.js', '--desktop'], io, { lookup: () => missing })).toBe(1);
    expect(err).toEqual([
      'ivr-studio: cannot start the desktop app: Electron is not installed (npm run desktop explains how to add it). Install it with `npm install electron` where downloads work, or run `npm start` for the designer in your browser\n',
    ]);
    err.length = 0;
    expect(
      await startMain(['node', 'ivr-studio-start.js', '--browser', '--port', 'http'], io, { lookup: () => present }),
    ).toBe(1);
    expect(err).toEqual(['ivr-studio: --port: expected a port number 0–65535, not "http"\n']);
    expect(await startMain(['node', 'ivr-studio-start.js', '--fly'], { out: () => {}, err: () => {} })).not.toBe(0);
  });

  it('`ivr-studio start` passes its options on to the launcher as typed', () => {
    expect(launcherArgs({})).toEqual([]);
    expect(
      launcherArgs({ port: '0', workspace: 'flows', outbox: 'box', open: false, desktop: true, browser: true }),
    ).toEqual(['--port', '0', '--workspace', 'flows', '--outbox', 'box', '--no-open', '--desktop', '--browser']);
    expect(START_LAUNCHER).toMatch(/bin[\\/]ivr-studio-start\.js$/);
  });

  it.skipIf(findElectron().ok)(
    `\`ivr-studio start\` (the launcher as a child) falls back to the browser with the callback sample: reason on stderr, the URL first on stdout${findElectron().ok ? ' (skipped: Electron is installed, so there is no fallback to see)' : ''}`,
    async () => {
      await withoutBrowser('ivr-start-outbox-', async (outbox, { out, err }) => {
        const stop = new AbortController();
        let code = -1;
        const running = runStartCommand(
          { outbox },
          { out: (t) => out.push(t), err: (t) => err.push(t) },
          (c) => {
            code = c;
          },
          { stop: stop.signal },
        );
        // The failed browser start is reported once the server listens for SIGTERM (sent too early, it
        // would end the child before its goodbye).
        await waitFor('the failed browser start', () => out.join('').includes('Could not start a browser'), {
          timeoutMs: 20_000,
        });
        stop.abort();
        await running;
        expect(err.join('').split('\n')[0]).toBe(
          'Electron is not installed (npm run desktop explains how to add it); opening the designer in your browser instead',
        );
        expect(out.join('').split('\n')[0]).toMatch(
          /^IVR Studio: http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{32}&file=callback\/flow\.json$/,
        );
        expect({ code, out: out.join(''), err: err.join('') }).toMatchObject({
          code: 0,
          out: expect.stringContaining('IVR Studio stopped.'),
        });
      });
    },
    30_000,
  );

  it('`ivr-studio start` says so when its launcher is missing', async () => {
    await expect(
      runStartCommand({}, { out: () => {}, err: () => {} }, () => {}, {
        launcher: join(tmpdir(), 'no-such-launcher.js'),
      }),
    ).rejects.toThrow(/the launcher .*no-such-launcher\.js is missing/);
  });

  it('`ivr-studio start --desktop` exits 1 with the reason when Electron is missing here', async () => {
    if (findElectron().ok) return; // this machine has Electron: the failure path is covered above
    const err: string[] = [];
    const code = await main(['node', 'ivr-studio', 'start', '--desktop'], { out: () => {}, err: (t) => err.push(t) });
    expect(code).toBe(1);
    expect(err.join('')).toMatch(/^ivr-studio: cannot start the desktop app: Electron/);
  });
});
