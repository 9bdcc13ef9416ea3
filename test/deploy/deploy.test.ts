// ivr-studio deploy against the test CLI server (written from CommuniGate's CLI documentation): the
// seed's callback + autosecretary environment deployed for the first time, re-deployed with one
// prompt changed, over a dropped connection, to a domain that does not exist, as a dry run, and
// with the accounts' language and divert rules.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileToCgpl } from '../../compiler/generate';
import { loadFlow } from '../../compiler/flow';
import {
  CliConnectionError,
  CliLoginError,
  DeployError,
  deployEnvironment,
  readEnvironment,
  type DeployEvent,
} from '../../runtime/deploy';
import { connectTo, samplesCopy, storesIn, tlsFiles, withServer } from './helpers';

let samples: Awaited<ReturnType<typeof samplesCopy>>;
beforeEach(async () => {
  samples = await samplesCopy();
});
afterEach(async () => {
  await samples.remove();
});

describe('deploying the seed environment', () => {
  it('creates the environment and its russian folder, and stores every file the first time', async () => {
    await withServer({}, async (server) => {
      const env = await readEnvironment(samples.dir);
      expect(env.programs).toEqual(['autosecretary', 'callback']);
      expect(env.languages).toEqual(['russian']);
      const cli = await connectTo(server);
      const events: DeployEvent[] = [];
      const result = await deployEnvironment({ env, domain: 'company.com', cli, onEvent: (e) => events.push(e) });
      await cli.close();

      expect(result.created).toEqual(['the environment', 'the russian folder']);
      expect(result.stored).toEqual(env.files.map((f) => f.path));
      expect(result.stored).toContain('callback.sppr');
      expect(result.stored).toContain('russian/forivanov.wav');
      const pbx = server.domain('company.com').pbx!;
      expect([...pbx.files.keys()].sort()).toEqual(env.files.map((f) => f.path).sort());
      const flow = loadFlow(await readFile(join(samples.dir, 'callback/flow.json'), 'utf8'), 'flow.json').flow!;
      expect(pbx.files.get('callback.sppr')!.data.toString('utf8')).toBe(compileToCgpl(flow).text);
      const wav = await readFile(join(samples.dir, 'autosecretary/russian/welcome.wav'));
      expect(Buffer.compare(pbx.files.get('russian/welcome.wav')!.data, wav)).toBe(0);
      // progress for every file, in order
      const stored = events.filter((e) => e.type === 'file' && e.state === 'stored');
      expect(stored.map((e) => (e as { index: number }).index)).toEqual(env.files.map((_, i) => i + 1));
      // the password never went over the wire: the greeting's challenge was used
      expect(cli.transcript.some((l) => /^APOP postmaster <digest>$/.test(l.text))).toBe(true);
      expect(server.wire.join('\n')).not.toContain('Pw-4-test');
    });
  });

  it('re-deploys a changed prompt of the same length with one STORE, and nothing when nothing changed', async () => {
    await withServer({}, async (server) => {
      const first = await connectTo(server);
      await deployEnvironment({ env: await readEnvironment(samples.dir), domain: 'company.com', cli: first });
      await first.close();

      const again = await connectTo(server);
      server.log.length = 0;
      const same = await deployEnvironment({
        env: await readEnvironment(samples.dir),
        domain: 'company.com',
        cli: again,
      });
      expect(same.stored).toEqual([]);
      expect(same.unchanged).toHaveLength((await readEnvironment(samples.dir)).files.length);
      expect(storesIn(server)).toEqual([]);

      // re-recorded: the same size, other samples (both flows use this prompt)
      const bytes = await readFile(join(samples.dir, 'callback/russian/CallbackBusy.wav'));
      bytes[bytes.length - 1] ^= 0x55;
      for (const flow of ['callback', 'autosecretary'])
        await writeFile(join(samples.dir, flow, 'russian/CallbackBusy.wav'), bytes);
      server.log.length = 0;
      const one = await deployEnvironment({
        env: await readEnvironment(samples.dir),
        domain: 'company.com',
        cli: again,
      });
      await again.close();
      expect(one.stored).toEqual(['russian/CallbackBusy.wav']);
      expect(storesIn(server)).toEqual([
        expect.stringMatching(/^STOREDOMAINPBXFILE "company\.com" FILE "russian\/CallbackBusy\.wav" DATA/),
      ]);
      expect(Buffer.compare(server.domain('company.com').pbx!.files.get('russian/CallbackBusy.wav')!.data, bytes)).toBe(
        0,
      );
    });
  });

  it('stores by size alone when the sizes differ (no read needed)', async () => {
    await withServer({}, async (server) => {
      const cli = await connectTo(server);
      await deployEnvironment({ env: await readEnvironment(samples.dir), domain: 'company.com', cli });
      await writeFile(
        join(samples.dir, 'callback/Failure.wav'),
        Buffer.concat([await readFile(join(samples.dir, 'callback/Failure.wav')), Buffer.alloc(2)]),
      );
      await writeFile(
        join(samples.dir, 'autosecretary/Failure.wav'),
        await readFile(join(samples.dir, 'callback/Failure.wav')),
      );
      server.log.length = 0;
      const r = await deployEnvironment({ env: await readEnvironment(samples.dir), domain: 'company.com', cli });
      await cli.close();
      expect(r.stored).toEqual(['Failure.wav']);
      expect(server.log.some((l) => /^READDOMAINPBXFILE "company\.com" FILE "Failure\.wav"/.test(l))).toBe(false);
    });
  });

  it('stops when the connection drops mid-upload, says what was stored, and the next deploy finishes the rest', async () => {
    await withServer({ dropOnStore: 3 }, async (server) => {
      const env = await readEnvironment(samples.dir);
      const cli = await connectTo(server);
      const err = await deployEnvironment({ env, domain: 'company.com', cli }).catch((e: unknown) => e);
      await cli.close();
      expect(err).toBeInstanceOf(DeployError);
      const [a, b, c] = env.files.map((f) => f.path);
      // a drop reads as a close or a reset, depending on when the client's write met it
      const message = (err as DeployError).message.replace(
        'the connection was reset',
        'the server closed the connection',
      );
      expect(message).toBe(
        `127.0.0.1:${server.port}: the server closed the connection (while storing ${c}); already stored: ${a}, ${b}`,
      );
      expect((err as DeployError).message).not.toContain('\n');
      expect((err as DeployError).stored).toEqual([a, b]);
      expect([...server.domain('company.com').pbx!.files.keys()].sort()).toEqual([a, b].sort());

      const retry = await connectTo(server);
      const r = await deployEnvironment({ env, domain: 'company.com', cli: retry });
      await retry.close();
      expect(r.stored).toEqual(env.files.map((f) => f.path).slice(2));
      expect(r.unchanged).toEqual([a, b]);
    });
  });

  it('stops at the first refused command with the server answer: an unknown domain', async () => {
    await withServer({}, async (server) => {
      const cli = await connectTo(server);
      const err = await deployEnvironment({
        env: await readEnvironment(samples.dir),
        domain: 'nowhere.example',
        cli,
      }).catch((e: unknown) => e);
      await cli.close();
      expect((err as Error).message).toBe(
        `creating the PBX environment of nowhere.example: PWD 127.0.0.1:${server.port} answered 512 Unknown domain name; nothing was stored`,
      );
    });
  });

  it('a dry run reads but changes nothing, and reports every command it would send', async () => {
    await withServer({}, async (server) => {
      const env = await readEnvironment(samples.dir);
      const cli = await connectTo(server);
      const notSent: string[] = [];
      const r = await deployEnvironment({
        env,
        domain: 'company.com',
        cli,
        dryRun: true,
        accounts: true,
        onEvent: (e) => e.type === 'not sent' && notSent.push(e.command),
      });
      await cli.close();
      expect(server.domain('company.com').pbx).toBeNull();
      expect(server.log.every((l) => /^(LISTDOMAINPBXFILES|READDOMAINPBXFILE|GETACCOUNT)/.test(l))).toBe(true);
      expect(notSent[0]).toBe('CREATEDOMAINPBX "company.com"');
      expect(notSent[1]).toBe('CREATEDOMAINPBX "company.com" FILE russian');
      expect(notSent.filter((c) => c.startsWith('STOREDOMAINPBXFILE'))).toHaveLength(env.files.length);
      expect(notSent).toContain('UPDATEACCOUNTPREFS "ivanov@company.com" {Language=russian;}');
      expect(r.stored).toEqual([]);
      expect(r.accounts.map((a) => a.account)).toEqual([
        'ivanov@company.com',
        'petrov@company.com',
        'operator@company.com',
        'pbx@company.com',
      ]);
    });
  });
});

describe('logging in', () => {
  it('a refused password is one line with the server answer (APOP and USER/PASS)', async () => {
    await withServer({}, async (server) => {
      const err = await connectTo(server, { password: 'wrong' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CliLoginError);
      expect((err as Error).message).toBe(
        `127.0.0.1:${server.port}: login refused: 515 Incorrect password or account name`,
      );
    });
    await withServer({ challenge: false }, async (server) => {
      const plain = await connectTo(server, { password: 'wrong' }).catch((e: unknown) => e);
      expect((plain as Error).message).toMatch(/refusing to send the password in clear text/);
      const err = await connectTo(server, { password: 'wrong', allowPlainPassword: true }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(
        `127.0.0.1:${server.port}: login refused: 515 Incorrect password or account name`,
      );
      const ok = await connectTo(server, { allowPlainPassword: true });
      expect(ok.transcript.map((l) => l.text)).toContain('PASS ********');
      await ok.close();
    });
  });

  it('an unreachable server is one line', async () => {
    const port = await withServer({}, async (server) => server.port); // closed by now
    const err = await connectTo({ port, httpPort: null } as never).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CliConnectionError);
    expect((err as Error).message).toBe(`127.0.0.1:${port}: connection refused (is the CLI listener on that port?)`);
  });

  it('upgrades to TLS with STLS when the server takes it, and can insist on it', async () => {
    const tls = await tlsFiles();
    await withServer({ tls, challenge: false }, async (server) => {
      const untrusted = await connectTo(server).catch((e: unknown) => e);
      expect((untrusted as Error).message).toMatch(/TLS certificate is not trusted .*--ca FILE/);
      const cli = await connectTo(server, { ca: [tls.cert], tls: 'require' });
      expect(cli.description).toBe(`PWD 127.0.0.1:${server.port}, TLS`);
      // inside TLS a plain USER/PASS is fine
      expect(cli.transcript.map((l) => l.text)).toEqual(
        expect.arrayContaining(['STLS', 'USER postmaster', 'PASS ********']),
      );
      const r = await deployEnvironment({
        env: await readEnvironment(join(samples.dir, 'callback')),
        domain: 'company.com',
        cli,
      });
      await cli.close();
      expect(r.stored.at(-1)).toBe('callback.sppr');
    });
    await withServer({}, async (server) => {
      const err = await connectTo(server, { tls: 'require' }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(
        `127.0.0.1:${server.port}: the server does not offer TLS (STLS: 500 Unknown command)`,
      );
    });
  });
});

describe('answers over several lines', () => {
  it('reads listings and files that follow "200 data follow" when the server has no INLINE mode', async () => {
    await withServer({ noInline: true }, async (server) => {
      const env = await readEnvironment(samples.dir);
      const cli = await connectTo(server);
      await deployEnvironment({ env, domain: 'company.com', cli });
      server.log.length = 0;
      const again = await deployEnvironment({ env, domain: 'company.com', cli });
      await cli.close();
      expect(again.stored).toEqual([]);
      expect(again.unchanged).toHaveLength(env.files.length);
      // the listings came over several lines
      expect(server.wire.some((l) => /^S: \{$/.test(l))).toBe(true);
      expect(server.log.filter((l) => l.startsWith('READDOMAINPBXFILE'))).toHaveLength(env.files.length);
    });
  });
});

describe('the HTTP /CLI/ form', () => {
  it('deploys over HTTPS by default', async () => {
    const tls = await tlsFiles();
    await withServer({ http: true, tls }, async (server) => {
      const cli = await connectTo(server, { via: 'http', ca: [tls.cert] });
      expect(cli.description).toBe(`https://127.0.0.1:${server.httpPort}/CLI/`);
      const r = await deployEnvironment({
        env: await readEnvironment(join(samples.dir, 'callback')),
        domain: 'company.com',
        cli,
      });
      expect(r.stored.at(-1)).toBe('callback.sppr');
    });
  });

  it('deploys through WebAdmin with basic authentication, and a refused login is one line', async () => {
    await withServer({ http: true }, async (server) => {
      const cli = await connectTo(server, { via: 'http', tls: 'off', allowPlainPassword: true });
      const env = await readEnvironment(samples.dir);
      const r = await deployEnvironment({ env, domain: 'company.com', cli });
      expect(r.stored).toHaveLength(env.files.length);
      const again = await deployEnvironment({ env, domain: 'company.com', cli });
      expect(again.stored).toEqual([]);

      const bad = await connectTo(server, { via: 'http', tls: 'off', allowPlainPassword: true, password: 'nope' });
      const err = await deployEnvironment({ env, domain: 'company.com', cli: bad }).catch((e: unknown) => e);
      expect((err as Error).message).toBe(
        `http://127.0.0.1:${server.httpPort}/CLI/: login refused: HTTP 401 Authentication required (while listing the environment); nothing was stored`,
      );
      const clear = await connectTo(server, { via: 'http', tls: 'off' }).catch((e: unknown) => e);
      expect((clear as Error).message).toMatch(/sends the password in clear text/);
    });
  });
});

describe('account settings', () => {
  it('sets each account language and divert rules, shows the diff first, and changes nothing the second time', async () => {
    await withServer({}, async (server) => {
      const env = await readEnvironment(samples.dir);
      const cli = await connectTo(server);
      const asked: string[][] = [];
      const r = await deployEnvironment({
        env,
        domain: 'company.com',
        cli,
        accounts: true,
        confirmAccounts: async (changes) => {
          asked.push(changes.flatMap((c) => c.lines.map((l) => `${c.account}: ${l}`)));
          return true;
        },
      });
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain('ivanov@company.com: Language: (default) → russian');
      expect(asked[0]).toContain(
        'pbx@company.com: add rule (5,"IVR Studio: always → #autosecretary",(),(("Redirect to","#autosecretary")),"Divert every call to #autosecretary (made by IVR Studio deploy)")',
      );
      const ivanov = server.domain('company.com').accounts.get('ivanov')!;
      expect(ivanov.prefs.get('Language')).toBe('russian');
      expect(ivanov.rules.map((rule) => (rule as unknown[])[1])).toEqual([
        'IVR Studio: ivanov working hours 1',
        'IVR Studio: afterhours → #callback',
      ]);
      expect((ivanov.rules[0] as unknown[])[2]).toEqual([
        ['Current Day', 'in', 'Mon,Tue,Wed,Thu,Fri'],
        ['Current Time', 'in', '09:00-18:00'],
      ]);
      expect(r.accounts).toHaveLength(4);

      // a rule someone else made stays; ours are compared, not re-sent
      ivanov.rules.push(['3', 'Vacation', [], [['Redirect to', 'boss']]]);
      server.log.length = 0;
      const again = await deployEnvironment({
        env,
        domain: 'company.com',
        cli,
        accounts: true,
        confirmAccounts: async () => true,
      });
      await cli.close();
      expect(again.accounts).toEqual([]);
      expect(server.log.some((l) => /^UPDATEACCOUNT/.test(l))).toBe(false);
      expect(ivanov.rules).toHaveLength(3);
    });
  });

  it('leaves the accounts alone when the diff is declined, and an unknown account stops with the answer', async () => {
    await withServer({}, async (server) => {
      const env = await readEnvironment(samples.dir);
      const cli = await connectTo(server);
      const r = await deployEnvironment({
        env,
        domain: 'company.com',
        cli,
        accounts: true,
        confirmAccounts: async () => false,
      });
      expect(r.accountsDeclined).toBe(true);
      expect(server.domain('company.com').accounts.get('ivanov')!.prefs.size).toBe(0);
      server.domain('company.com').accounts.delete('petrov');
      const err = await deployEnvironment({ env, domain: 'company.com', cli, accounts: true }).catch((e: unknown) => e);
      await cli.close();
      expect((err as Error).message).toBe(
        `reading the preferences of petrov@company.com: PWD 127.0.0.1:${server.port} answered 513 Unknown user account; nothing was stored`,
      );
    });
  });
});
