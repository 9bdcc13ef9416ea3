// simulate · test — calls without a phone: a scripted caller on a simulated channel.
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadProgram, simulateCall, type Target } from '../../host';
import { VirtualClock, realClock, type Clock } from '../../call/clock';
import { Trace, formatTraceEvent, isQuietKind } from '../../call/trace';
import type { CallerStep } from '../../call/simulated';
import { parseRelay, type Mailer } from '../../mail';
import { parseDtmfScript, dtmfScriptErrors, runScenario, formatScenarioReport } from '../../scenario';
import { CliError } from '../io';
import type { CliOutput } from '../main';
import { listLine, openMailer } from './outbox';

/** Where simulated calls keep their e-mails unless --outbox says otherwise. */
export const DEFAULT_OUTBOX = process.env.IVR_STUDIO_OUTBOX ?? join(homedir(), '.ivr-studio', 'outbox');

interface SimulateOpts {
  account?: string;
  language?: string;
  dtmf?: string;
  typeAhead?: boolean;
  hangupAfter?: string;
  at?: string;
  realtime?: boolean;
  smtp?: string;
  refuseEmail?: boolean;
  outbox: string;
  environment?: string;
  target: string;
  startParam?: string[];
  callerAccount?: string;
  json?: boolean;
  verbose?: boolean;
}

export function registerRuntimeCommands(program: Command, io: CliOutput, setExit: (code: number) => void): void {
  program
    .command('simulate')
    .description('run one call headless (flow.json or program.sppr) and print its trace')
    .argument('<program>', 'a flow.json or a CG/PL program (.sppr)')
    .option('--account <account>', 'the account the call is for, e.g. ivanov or ivanov@company.com')
    .option('--language <language>', "the call language, e.g. russian (default: the account's)")
    .option('--dtmf <keys>', 'what the caller types once asked for input; "," is a 1 s pause, e.g. "555,,1234#"')
    .option('--type-ahead', 'type the --dtmf keys as soon as the call is answered (skips the prompts)')
    .option('--hangup-after <seconds>', 'the caller hangs up after this many seconds')
    .option('--at <time>', 'pretend the call happens at this time, e.g. 2026-11-29T23:00')
    .option('--realtime', 'run on the real clock (prompts and timeouts take their real time)')
    .option(
      '--smtp <url>',
      'deliver e-mail through this relay, e.g. smtp://127.0.0.1:2525 (default: the embedded outbox)',
    )
    .option('--refuse-email', "SendEMail is refused (as by a full queue): exercises the flow's failed branch")
    .option('--outbox <dir>', 'where e-mails are kept', DEFAULT_OUTBOX)
    .option('--environment <dir>', "the PBX environment folder the prompts come from (default: the program's folder)")
    .option('--target <target>', 'cgpl (what ships) or js (the compiled module; flows only)', 'cgpl')
    .option(
      '--start-param <value>',
      'Vars().startParameter of the call (repeat for an array, as app{p1,p2}#account does)',
      (v: string, all: string[] = []) => [...all, v],
    )
    .option('--caller-account <account>', 'the caller is this local account, authenticated (RemoteAuthentication)')
    .option('--json', 'print the trace as JSON lines')
    .option('--verbose', 'include node and prompt-finished lines in the text trace')
    .action(async (file: string, opts: SimulateOpts) => {
      const target = checkTarget(opts.target);
      const caller = callerScript(opts);
      const clock = makeClock(opts);
      const maxCallMs = opts.hangupAfter === undefined ? undefined : seconds(opts.hangupAfter, '--hangup-after') * 1000;
      if (opts.smtp !== undefined) {
        const relay = parseRelay(opts.smtp);
        if (!relay.ok) throw new CliError(`--smtp: ${relay.error}`);
      }
      const { program, errors } = await loadProgram(
        file,
        opts.environment !== undefined ? { environmentDir: opts.environment } : {},
      );
      if (!program) {
        // One problem (a missing file, bad JSON, a wrong format) is the whole story: say it once.
        if (errors.length === 1) throw new CliError(errors[0]!);
        for (const e of errors) io.err(e + '\n');
        throw new CliError(`${file}: ${errors.length} errors; the call was not started`);
      }
      if (target === 'js' && !program.js) throw new CliError(`--target js needs a flow; ${file} is a CG/PL program`);
      for (const w of program.warnings) io.err(w + '\n');

      const outboxDir = resolve(opts.outbox);
      const mailer = await openMailer(outboxDir, opts.smtp);
      const trace = new Trace(clock);
      const callId = `sim-${randomUUID()}`;
      trace.subscribe((e) =>
        io.out(
          opts.json ? JSON.stringify(e) + '\n' : opts.verbose || !isQuietKind(e.kind) ? formatTraceEvent(e) + '\n' : '',
        ),
      );
      try {
        const result = await simulateCall(program, {
          id: callId,
          target,
          clock,
          trace,
          caller,
          mailer,
          refuseEmail: opts.refuseEmail === true,
          ...(opts.account !== undefined ? { account: opts.account } : {}),
          ...(opts.language !== undefined ? { language: opts.language } : {}),
          ...(maxCallMs !== undefined ? { maxCallMs } : {}),
          ...(opts.startParam
            ? { startParameter: opts.startParam.length === 1 ? opts.startParam[0] : opts.startParam }
            : {}),
          ...(opts.callerAccount ? { callerAccount: opts.callerAccount } : {}),
        });
        const fates = await callEmails(mailer, callId);
        if (!opts.json) {
          const sent = result.emails.filter((m) => m.error === null).length;
          const failed = result.emails.length - sent;
          io.out(
            `\ncall ended by ${result.endedBy ?? 'nobody'}${result.transfer ? ` (transferred to ${result.transfer})` : ''}; ` +
              `${result.emails.length} e-mail${result.emails.length === 1 ? '' : 's'}` +
              (result.emails.length ? ` (${sent} accepted, ${failed} failed) in the outbox ${outboxDir}` : '') +
              '\n',
          );
          for (const line of fates) io.out(`  ${line}\n`);
        }
        if (result.host.ended === 'error') setExit(1);
      } finally {
        await mailer.close();
      }
    });

  program
    .command('test')
    .description('run call scenarios (*.scenario.json): PASS/FAIL each with a diff; exit 1 on a failure')
    .argument('<scenarios...>')
    .option('--target <target>', 'run every scenario on this target (cgpl or js) whatever it says')
    .action(async (files: string[], opts: { target?: string }) => {
      const target = opts.target === undefined ? undefined : checkTarget(opts.target);
      const results = [];
      for (const file of files) results.push(await runScenario(file, target ? { target } : {}));
      io.out(formatScenarioReport(results));
      if (results.some((r) => !r.passed)) setExit(1);
    });
}

/** The call's messages as the outbox has them once their first delivery attempt is over. */
async function callEmails(mailer: Mailer, callId: string): Promise<string[]> {
  await mailer.settled();
  const mine = (await mailer.outbox.list()).filter((e) => e.callId === callId).reverse();
  return mine.map((e) =>
    e.status === 'queued'
      ? `${listLine(e)} (retried by the next run on this outbox, or: ivr-studio outbox resend ${e.id})`
      : listLine(e),
  );
}

function checkTarget(target: string): Target {
  if (target !== 'cgpl' && target !== 'js') throw new CliError(`unknown --target '${target}': use cgpl or js`);
  return target;
}

function seconds(text: string, option: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new CliError(`${option}: expected a number of seconds, got '${text}'`);
  return n;
}

function callerScript(opts: SimulateOpts): CallerStep[] {
  if (opts.dtmf === undefined) return [];
  const errors = dtmfScriptErrors(opts.dtmf);
  if (errors.length > 0) throw new CliError(`--dtmf "${opts.dtmf}": ${errors[0]}`);
  const steps = parseDtmfScript(opts.dtmf);
  return opts.typeAhead ? steps : [{ listen: true }, ...steps];
}

function makeClock(opts: SimulateOpts): Clock {
  let start = new Date();
  if (opts.at !== undefined) {
    start = new Date(opts.at);
    if (Number.isNaN(start.getTime()))
      throw new CliError(`--at: not a date and time: '${opts.at}' (use e.g. 2026-11-29T23:00)`);
  }
  if (opts.realtime) {
    if (opts.at !== undefined) throw new CliError('--at and --realtime cannot be used together');
    return realClock();
  }
  return new VirtualClock(start);
}
