// simulate · test, and the bin itself.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './run';
import { parseMediaWorkers } from '../../runtime/cli/commands/run';
import { availableParallelism } from 'node:os';
import { SEED } from '../helpers/seed';
import { Outbox, type OutboxEntry } from '../../runtime/mail';
import { startTestRelay } from '../mail/helpers';

const CALLBACK = 'samples/callback/flow.json';
const AUTOSECRETARY = 'samples/autosecretary/flow.json';
const INTRO = ['CallbackBusy', 'CallbackLater', 'CallbackNumber', 'CallbackClearNumber'];

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ivr-cli-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

/** A fresh outbox per test, so it holds only that call's e-mails. */
async function outbox(): Promise<string> {
  return mkdtemp(join(tmp, 'outbox-'));
}

async function outboxIndex(dir: string): Promise<OutboxEntry[]> {
  return (await Outbox.open(dir)).list();
}

/** The prompt names of the text trace's "prompt" lines, in order. */
function prompts(out: string): string[] {
  return [...out.matchAll(/^\d\d:\d\d\.\d{3} {2}prompt {2}(\S+)/gm)].map((m) => m[1]!);
}

describe('ivr-studio simulate', () => {
  it('the callback flow with --dtmf "5551234#": the intro, the digits, the e-mail, the trailer, hang-up', async () => {
    const box = await outbox();
    const run = await cli('simulate', CALLBACK, '--dtmf', '5551234#', '--outbox', box);
    expect(run.code).toBe(0);
    expect(run.err).toBe('');
    expect(prompts(run.out)).toEqual([...INTRO, 'CallbackTrailer']);
    expect([...run.out.matchAll(/ digit {3}(\S) \(caller\)/g)].map((m) => m[1]).join('')).toBe('5551234#');
    expect(run.out).toMatch(/ email {3}to ivanov@company\.com: "Contact phone: 5551234" queued/);
    expect(run.out).toMatch(/ hangup {2}by program/);
    // the order a caller experiences it
    const at = (re: RegExp) => run.out.search(re);
    expect(at(/prompt {2}CallbackClearNumber/)).toBeLessThan(at(/digit {3}5/));
    expect(at(/email {3}to/)).toBeLessThan(at(/prompt {2}CallbackTrailer/));
    expect(at(/prompt {2}CallbackTrailer/)).toBeLessThan(at(/hangup/));
    expect(run.out).toContain(`call ended by program; 1 e-mail (1 accepted, 0 failed) in the outbox ${resolve(box)}`);

    const index = await outboxIndex(box);
    expect(index).toHaveLength(1);
    expect(index[0]).toMatchObject({
      to: 'ivanov@company.com',
      subject: 'Contact phone: 5551234',
      from: 'CallbackMailer@company.com',
    });
    expect(index[0]!.status).not.toBe('failed');
  });

  it('with --smtp pointing at a closed port: the call goes on (SendEMail queued), the message waits for a retry', async () => {
    const box = await outbox();
    const run = await cli('simulate', CALLBACK, '--dtmf', '5551234#', '--outbox', box, '--smtp', 'smtp://127.0.0.1:1');
    expect(run.code).toBe(0);
    expect(prompts(run.out)).toEqual([...INTRO, 'CallbackTrailer']);
    expect(run.out).toMatch(/email {3}to ivanov@company\.com: "Contact phone: 5551234" queued/);
    const index = await outboxIndex(box);
    expect(index).toHaveLength(1);
    expect(index[0]).toMatchObject({
      subject: 'Contact phone: 5551234',
      status: 'queued',
      via: '127.0.0.1:1',
      error: 'SMTP relay 127.0.0.1:1 refused the connection',
    });
    expect(run.out).toContain(`${index[0]!.id}  queued  `);
    expect(run.out).toContain(`ivr-studio outbox resend ${index[0]!.id}`);
  });

  it('--refuse-email: SendEMail is refused, the flow takes its failed branch', async () => {
    const box = await outbox();
    const run = await cli('simulate', CALLBACK, '--dtmf', '5551234#', '--outbox', box, '--refuse-email');
    expect(run.code).toBe(0);
    expect(prompts(run.out)).toEqual([...INTRO, 'Failure', 'CallbackNotAvailable']);
    expect(run.out).toMatch(/"Contact phone: 5551234" FAILED: SendEMail: the outbox refused the message/);
    expect((await outboxIndex(box))[0]).toMatchObject({ status: 'failed', refused: true });
  });

  it('--outbox naming a file is one line, exit 1', async () => {
    const file = join(tmp, 'a-file');
    await writeFile(file, 'x');
    const run = await cli('simulate', CALLBACK, '--outbox', file);
    expect(run.code).toBe(1);
    expect(run.errLines).toEqual([`ivr-studio: --outbox: outbox ${file}: not a folder`]);
  });

  it('the seed program with --dtmf "12*34#" and --environment keeps its quirk: "Contact phone:*34"', async () => {
    const box = await outbox();
    const run = await cli('simulate', SEED, '--dtmf', '12*34#', '--environment', 'samples/callback', '--outbox', box);
    expect(run.code).toBe(0);
    expect(run.out).toContain('"Contact phone:*34" queued');
    expect(run.out).toMatch(/prompt {2}CallbackBusy \(english: samples\/callback\/CallbackBusy\.wav\)/);
    expect((await outboxIndex(box))[0]).toMatchObject({ subject: 'Contact phone:*34' });
  });

  it('--json prints one JSON trace event per line', async () => {
    const run = await cli('simulate', CALLBACK, '--dtmf', '5551234#', '--json', '--outbox', await outbox());
    expect(run.code).toBe(0);
    const lines = run.out.trimEnd().split('\n');
    const events = lines.map((l) => JSON.parse(l) as { kind: string; t: number; wall: string; name?: string });
    expect(events[0]!.kind).toBe('call-started');
    expect(events.at(-1)).toMatchObject({ kind: 'hangup', by: 'program' });
    expect(events.filter((e) => e.kind === 'prompt-started').map((e) => e.name)).toEqual([...INTRO, 'CallbackTrailer']);
    expect(events.find((e) => e.kind === 'email-queued')).toMatchObject({
      to: 'ivanov@company.com',
      subject: 'Contact phone: 5551234',
    });
    for (const e of events) expect(typeof e.t).toBe('number');
  });

  it("--at a Sunday night takes the autosecretary's after-hours path; a weekday morning, the menu", async () => {
    const night = await cli(
      'simulate',
      AUTOSECRETARY,
      '--at',
      '2026-11-29T23:00',
      '--dtmf',
      '5551234#',
      '--outbox',
      await outbox(),
    );
    expect(night.code).toBe(0);
    expect(prompts(night.out)).toEqual([...INTRO, 'CallbackTrailer']);
    expect(night.out).toContain('"Contact phone: 5551234" queued');

    const morning = await cli(
      'simulate',
      AUTOSECRETARY,
      '--at',
      '2026-11-25T11:00:00+03:00',
      '--dtmf',
      '3',
      '--hangup-after',
      '60',
      '--outbox',
      await outbox(),
    );
    expect(morning.code).toBe(0);
    expect(prompts(morning.out)[0]).toBe('welcome');
    expect(morning.out).toMatch(/leg1 → petrov: answered/);
    expect(morning.out).toMatch(/bridge +started with t2/);
    expect(morning.out).toContain('call ended by caller');
  });

  it('a bad --dtmf or --at is one clear line', async () => {
    const dtmf = await cli('simulate', CALLBACK, '--dtmf', '55x', '--outbox', await outbox());
    expect(dtmf.code).toBe(1);
    expect(dtmf.errLines).toEqual([
      `ivr-studio: --dtmf "55x": column 3: 'x' is not a DTMF key (0-9 * # A-D) or a pause (,)`,
    ]);
    const at = await cli('simulate', CALLBACK, '--at', 'someday', '--outbox', await outbox());
    expect(at.code).toBe(1);
    expect(at.errLines).toHaveLength(1);
    expect(at.errLines[0]).toMatch(/--at: not a date and time: 'someday'/);
  });

  it('a missing or broken program file is one clear line', async () => {
    const missing = await cli('simulate', 'no/such/flow.json', '--outbox', await outbox());
    expect(missing.code).toBe(1);
    expect(missing.errLines).toEqual(['ivr-studio: no/such/flow.json: cannot read: no such file']);
    const dir = await mkdtemp(join(tmpdir(), 'ivr-cli-bad-'));
    const bad = join(dir, 'flow.json');
    await writeFile(bad, '{\n  "format": ');
    const broken = await cli('simulate', bad, '--outbox', await outbox());
    expect(broken.code).toBe(1);
    expect(broken.errLines).toHaveLength(1);
    expect(broken.errLines[0]).toMatch(/flow\.json:2:\d+: error FLOW301: invalid JSON/);
  });
});

describe('ivr-studio outbox', () => {
  it('list, show, resend (once the relay takes it) and purge', async () => {
    const box = await outbox();
    let refuse = true;
    const relay = await startTestRelay({ answer: () => (refuse ? [451, '4.3.0 Try later'] : null) });
    try {
      const sim = await cli(
        'simulate',
        CALLBACK,
        '--dtmf',
        '5551234#',
        '--outbox',
        box,
        '--smtp',
        `smtp://127.0.0.1:${relay.port}`,
      );
      expect(sim.code).toBe(0);
      const [entry] = await outboxIndex(box);
      expect(entry).toMatchObject({
        status: 'queued',
        error: `SMTP relay 127.0.0.1:${relay.port} refused the message: 451 4.3.0 Try later`,
      });

      const list = await cli('outbox', 'list', '--outbox', box);
      expect(list.code).toBe(0);
      expect(list.out).toMatch(
        new RegExp(
          `^${entry!.id}  queued  \\S+ \\S+  ivanov@company\\.com  "Contact phone: 5551234"  1 attempt; next `,
          'm',
        ),
      );
      expect(list.out).toMatch(/^1 message in /m);
      const json = await cli('outbox', 'list', '--outbox', box, '--json', '--status', 'queued');
      expect(JSON.parse(json.out.trim())).toMatchObject({ id: entry!.id, status: 'queued' });

      const show = await cli('outbox', 'show', entry!.id, '--outbox', box);
      expect(show.out).toMatch(/^status: {3}queued$/m);
      expect(show.out).toMatch(/^attempt 1: \S+ {2}temporary {2}SMTP relay .* 451 4\.3\.0 Try later$/m);
      expect(show.out).toContain('5551234');
      expect((await cli('outbox', 'show', entry!.id, '--outbox', box, '--eml')).out).toMatch(/^Message-ID: /m);

      // Without --smtp, a relay's message is not "resent" to the local outbox server.
      const noRelay = await cli('outbox', 'resend', entry!.id, '--outbox', box);
      expect(noRelay.code).toBe(1);
      expect(noRelay.errLines).toEqual([
        `ivr-studio: message ${entry!.id} goes through the relay 127.0.0.1:${relay.port}: give --smtp smtp://…127.0.0.1:${relay.port}`,
      ]);
      refuse = false;
      const resend = await cli(
        'outbox',
        'resend',
        entry!.id,
        '--outbox',
        box,
        '--smtp',
        `smtp://127.0.0.1:${relay.port}`,
      );
      expect(resend.code).toBe(0);
      expect(resend.out).toMatch(new RegExp(`^${entry!.id}  sent `));
      expect(relay.received).toHaveLength(1);
      expect((await outboxIndex(box))[0]!.attempts!.map((a) => a.outcome)).toEqual(['temporary', 'sent']);

      const unknown = await cli('outbox', 'show', 'nope', '--outbox', box);
      expect(unknown.code).toBe(1);
      expect(unknown.errLines).toEqual([`ivr-studio: the outbox ${resolve(box)} has no message with id 'nope'`]);

      const purge = await cli('outbox', 'purge', '--outbox', box);
      expect(purge.out).toBe(`removed 1 message from ${resolve(box)}\n`);
      expect(await outboxIndex(box)).toEqual([]);
    } finally {
      await relay.close();
    }
  });
});

describe('ivr-studio test', () => {
  it('a passing and a failing scenario: exit 1, PASS, FAIL and the difference', async () => {
    const failing = join(tmp, 'wrong.scenario.json');
    await writeFile(
      failing,
      JSON.stringify({
        name: 'expects the wrong prompt',
        program: resolve(CALLBACK),
        account: 'ivanov',
        caller: [{ listen: true }, { dtmf: '5551234#' }],
        expect: { prompts: [...INTRO, 'Failure'], endedBy: 'program' },
      }),
    );
    const passing = 'samples/callback/scenarios/happy-path.scenario.json';
    const run = await cli('test', passing, failing);
    expect(run.code).toBe(1);
    expect(run.out).toMatch(
      /^PASS {2}callback: caller types a number and # {2}\(samples\/callback\/scenarios\/happy-path\.scenario\.json\)$/m,
    );
    expect(run.out).toMatch(/^FAIL {2}expects the wrong prompt/m);
    expect(run.out).toMatch(/prompts: differ at #5 \(expected Failure, heard CallbackTrailer\)/);
    expect(run.out).toMatch(/expected: .*Failure/);
    expect(run.out).toMatch(/heard: {4}.*CallbackTrailer/);
    expect(run.out).toMatch(/2 scenarios: 1 passed, 1 failed\n$/);
  });

  it('all passing: exit 0', async () => {
    const run = await cli(
      'test',
      'samples/callback/scenarios/happy-path.scenario.json',
      'samples/callback/scenarios/nothing-entered.scenario.json',
    );
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/2 scenarios: 2 passed, 0 failed\n$/);
  });
});

describe('the bin', () => {
  it('node bin/ivr-studio.js --help runs as a real process', { timeout: 60_000 }, async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/ivr-studio.js', '--help'], {
      timeout: 30_000,
    });
    expect(stdout).toMatch(/^Usage: ivr-studio/m);
    for (const command of ['validate', 'compile', 'export', 'parse', 'simulate', 'test'])
      expect(stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  });
});

describe('ivr-studio run: bad options are one line, before anything listens', () => {
  for (const bad of ['many', '-1', '1.5', '65', '']) {
    it(`--media-workers '${bad}'`, async () => {
      const r = await cli('run', CALLBACK, '--sip', '127.0.0.1:0', '--media-workers', bad);
      expect(r.code).toBe(1);
      expect(r.errLines).toEqual([`ivr-studio: --media-workers: expected 'auto' or a whole number 0–64, got '${bad}'`]);
      expect(r.out).toBe('');
    });
  }

  it("--media-workers: 'auto' is one thread beside the SIP thread on 2+ cores; numbers are taken as given", () => {
    expect(parseMediaWorkers('auto')).toBe(availableParallelism() >= 2 ? 1 : 0);
    expect(parseMediaWorkers('0')).toBe(0);
    expect(parseMediaWorkers('2')).toBe(2);
  });
});
