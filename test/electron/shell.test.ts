import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { chooseWorkspace, copyTree, designerDir, startUrl, type TreeFs } from '../../electron/paths';
import { createSipController, sipOptions, type StartSip } from '../../electron/sip';
import type { SipServiceOptions } from '../../runtime';
import { CHANNELS, DESKTOP_COMMANDS, isDesktopCommand } from '../../electron/channels';
import { waitFor } from '../helpers/waitFor';

describe('where the shell works', () => {
  const base = {
    documentsDir: '/home/u/Documents',
    homeDir: '/home/u',
    samplesDir: '/app/samples',
    exists: () => false,
  };
  it('IVR_STUDIO_WORKSPACE wins; else the user folder (never the samples): ~/IVR Studio from source, Documents/IVR Studio packaged, seeded once', () => {
    expect(chooseWorkspace({ ...base, env: '/flows', packaged: true })).toEqual({
      workspace: '/flows',
      seedFrom: null,
    });
    expect(chooseWorkspace({ ...base, env: undefined, packaged: false })).toEqual({
      workspace: join('/home/u', 'IVR Studio'),
      seedFrom: '/app/samples',
    });
    expect(chooseWorkspace({ ...base, env: undefined, packaged: true })).toEqual({
      workspace: join('/home/u/Documents', 'IVR Studio'),
      seedFrom: '/app/samples',
    });
    expect(chooseWorkspace({ ...base, env: undefined, packaged: true, exists: () => true }).seedFrom).toBeNull();
  });

  it('opens the server with its token and the first file', () => {
    expect(startUrl('http://127.0.0.1:5000', 'ab12', 'callback/flow.json')).toBe(
      'http://127.0.0.1:5000/?token=ab12&file=callback%2Fflow.json',
    );
    expect(startUrl('http://127.0.0.1:5000', 'ab12', null)).toBe('http://127.0.0.1:5000/?token=ab12');
  });

  it('finds the designer beside the bundle unless told', () => {
    expect(designerDir('/app/dist/electron', undefined)).toBe(join('/app/dist/designer'));
    expect(designerDir('/app/dist/electron', '/x/designer')).toBe('/x/designer');
  });

  it('copyTree copies files and folders', () => {
    const tree: Record<string, Record<string, string | null>> = {
      '/s': { 'a.json': 'A', sub: null },
      [join('/s', 'sub')]: { 'b.wav': 'B' },
    };
    const written = new Map<string, string>();
    const made: string[] = [];
    const fs: TreeFs = {
      readdirSync: (p) =>
        Object.entries(tree[p] ?? {}).map(([name, v]) => ({
          name,
          isDirectory: () => v === null,
          isFile: () => v !== null,
        })),
      readFileSync: (p) =>
        new TextEncoder().encode(
          Object.entries(tree).flatMap(([d, f]) =>
            Object.entries(f)
              .filter(([n]) => join(d, n) === p)
              .map(([, v]) => v),
          )[0] ?? '',
        ),
      writeFileSync: (p, d) => void written.set(p, new TextDecoder().decode(d)),
      mkdirSync: (p) => made.push(p),
    };
    copyTree(fs, '/s', '/w');
    expect(made).toEqual(['/w', join('/w', 'sub')]);
    expect(Object.fromEntries(written)).toEqual({ [join('/w', 'a.json')]: 'A', [join('/w', 'sub', 'b.wav')]: 'B' });
  });
});

describe('the SIP runtime controller', () => {
  function fakeStart() {
    const starts: Array<{
      options: SipServiceOptions;
      up: (banner: string[]) => void;
      fail: (e: Error) => void;
      closed: boolean;
    }> = [];
    const start: StartSip = (options) =>
      new Promise((ok, fail) => {
        const entry = {
          options,
          closed: false,
          up: (banner: string[]) =>
            ok({
              banner,
              close: async () => {
                entry.closed = true;
              },
            }),
          fail,
        };
        starts.push(entry);
      });
    return { start, starts };
  }
  const BANNER = ['SIP on udp+tcp 127.0.0.1:5070; e-mail: outbox', '  call sip:callback@127.0.0.1:5070   (flow.json)'];

  it('reports where to call once the service is listening, and closes it on stop()', async () => {
    const { start, starts } = fakeStart();
    const events: unknown[] = [];
    const sip = createSipController(start, {
      started: (l) => events.push(['started', l]),
      stopped: (e) => events.push(['stopped', e]),
    });
    sip.start('/w/callback/flow.json', '/w/.outbox');
    expect(sip.running).toBe(true);
    sip.start('/w/other.json', '/w/.outbox');
    expect(starts).toHaveLength(1);
    expect(starts[0]!.options).toMatchObject({ file: '/w/callback/flow.json', outboxDir: '/w/.outbox' });
    expect(events).toEqual([]);
    starts[0]!.up(BANNER);
    await waitFor('started', () => events.length > 0);
    expect(events).toEqual([['started', BANNER]]);
    sip.stop();
    await waitFor('the controller to stop', () => !sip.running);
    expect(starts[0]!.closed).toBe(true);
    expect(events.at(-1)).toEqual(['stopped', null]);
  });

  it('stopped while starting: closes the service once it is up, never reports it started', async () => {
    const { start, starts } = fakeStart();
    const events: unknown[] = [];
    const sip = createSipController(start, { started: () => events.push('started'), stopped: (e) => events.push(e) });
    sip.start('/w/a.json', '/o');
    sip.stop();
    starts[0]!.up(BANNER);
    await waitFor('the controller to stop', () => !sip.running);
    expect(starts[0]!.closed).toBe(true);
    expect(events).toEqual([null]);
  });

  it('reports a failure to start (a port in use) and can start again', async () => {
    const { start, starts } = fakeStart();
    const events: unknown[] = [];
    const sip = createSipController(start, { started: () => events.push('started'), stopped: (e) => events.push(e) });
    sip.start('/w/a.json', '/o');
    starts[0]!.fail(new Error('listen EADDRINUSE 127.0.0.1:5070'));
    await waitFor('the failure', () => events.length > 0);
    expect(events).toEqual(['listen EADDRINUSE 127.0.0.1:5070']);
    expect(sip.running).toBe(false);
    sip.start('/w/a.json', '/o');
    expect(starts).toHaveLength(2);
  });

  it('uses the CLI defaults: 127.0.0.1:5070, udp and tcp, the CG/PL interpreter', () => {
    expect(sipOptions('/w/flow.json', '/w/.outbox', () => {})).toMatchObject({
      file: '/w/flow.json',
      outboxDir: '/w/.outbox',
      host: '127.0.0.1',
      port: 5070,
      transports: ['udp', 'tcp'],
      maxCalls: 100,
      target: 'cgpl',
    });
  });
});

describe('channels and commands', () => {
  it('are distinct, and desktop commands are told apart from designer actions', () => {
    expect(new Set(Object.values(CHANNELS)).size).toBe(Object.values(CHANNELS).length);
    expect(Object.values(DESKTOP_COMMANDS).every(isDesktopCommand)).toBe(true);
    expect(['save', 'open', 'undo', 'desktop.bogus'].some(isDesktopCommand)).toBe(false);
  });
});
