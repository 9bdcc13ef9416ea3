// Running scenario files: load the program, make the call on a virtual clock with the scripted caller
// and a real mailer (embedded outbox, an unreachable relay for `smtp: down`, a refusing outbox for
// `smtp: refuse`), then compare.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createMailer, type Mailer } from '../mail';
import { VirtualClock } from '../call/clock';
import type { CallerStep } from '../call/simulated';
import { formatTraceEvent, type Trace } from '../call/trace';
import { loadProgram } from '../host/program';
import { simulateCall, type Target } from '../host/simulate';
import { parseScenario, type Scenario } from './schema';
import { callFacts, checkExpectations } from './expect';

export interface ScenarioResult {
  file: string;
  /** The scenario's name (the file name when it could not be read). */
  name: string;
  passed: boolean;
  /** Expected vs actual, when the call ran but did something else. */
  diff: string[];
  /** Why it could not run (bad scenario, program that does not load). */
  errors: string[];
  trace: Trace | null;
}

export interface RunScenarioOptions {
  /** Keep the e-mails here; default: a temporary folder removed afterwards. */
  outboxDir?: string;
  /** Run on this target whatever the scenario says (e.g. every scenario on the JS module too). */
  target?: Target;
}

/**
 * @example
 *   const r = await runScenario('samples/callback/scenarios/types-number.scenario.json');
 *   if (!r.passed) console.log(formatScenarioReport([r]));
 */
export async function runScenario(file: string, options: RunScenarioOptions = {}): Promise<ScenarioResult> {
  const broken = (name: string, errors: string[]): ScenarioResult => ({
    file,
    name,
    passed: false,
    diff: [],
    errors,
    trace: null,
  });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    return broken(file, [
      `${file}: cannot read: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(err)}`,
    ]);
  }
  const { scenario, errors } = parseScenario(text, file);
  if (!scenario) return broken(file, errors);
  if (options.target !== undefined) scenario.target = options.target;
  const { program, errors: loadErrors } = await loadProgram(resolve(dirname(file), scenario.program));
  if (!program) return broken(scenario.name, loadErrors);
  if (scenario.target === 'js' && !program.js) {
    return broken(scenario.name, [
      `${file}: at target: ${scenario.program} is a CG/PL program; only a flow has a JS target`,
    ]);
  }

  const tempOutbox = options.outboxDir === undefined ? await mkdtemp(join(tmpdir(), 'ivr-scenario-')) : null;
  let mailer: Mailer | null = null;
  try {
    mailer = await openMailer(scenario, options.outboxDir ?? (tempOutbox as string));
    const result = await simulateCall(program, {
      target: scenario.target,
      clock: new VirtualClock(scenario.at === undefined ? new Date() : new Date(scenario.at)),
      // The schema lets each step have exactly one key, which is what CallerStep says.
      caller: scenario.caller as CallerStep[],
      mailer,
      refuseEmail: scenario.smtp === 'refuse',
      ...(scenario.account !== undefined ? { account: scenario.account } : {}),
      ...(scenario.language !== undefined ? { language: scenario.language } : {}),
      ...(scenario.startParameter !== undefined ? { startParameter: scenario.startParameter } : {}),
      ...(scenario.callerAccount !== undefined ? { callerAccount: scenario.callerAccount } : {}),
      ...(scenario.parties ? { parties: scenario.parties } : {}),
    });
    const diff = [
      ...result.trace
        .ofKind('error')
        .map((e) => `program error: ${formatTraceEvent(e).replace(/^\S+\s+error\s+/, '')}`),
      ...checkExpectations(scenario.expect, callFacts(result.trace)),
    ];
    return { file, name: scenario.name, passed: diff.length === 0, diff, errors: [], trace: result.trace };
  } catch (err) {
    return broken(scenario.name, [`${file}: ${err instanceof Error ? err.message : String(err)}`]);
  } finally {
    await mailer?.close().catch(() => undefined);
    if (tempOutbox) await rm(tempOutbox, { recursive: true, force: true }).catch(() => undefined);
  }
}

async function openMailer(scenario: Scenario, outboxDir: string): Promise<Mailer> {
  if (scenario.smtp !== 'down') return createMailer({ outboxDir });
  // "SMTP down": a relay on a port nobody listens on, so the connection is refused at once.
  return createMailer({
    outboxDir,
    relay: { host: '127.0.0.1', port: await closedPort(), ignoreTls: true },
    timeoutMs: 2000,
  });
}

function closedPort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** PASS/FAIL per scenario, the differences under each failure, and a count. */
export function formatScenarioReport(results: readonly ScenarioResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${r.passed ? 'PASS' : 'FAIL'}  ${r.name}  (${r.file})`);
    for (const line of [...r.errors, ...r.diff]) lines.push(`      ${line}`);
  }
  const failed = results.filter((r) => !r.passed).length;
  lines.push(
    `${results.length} scenario${results.length === 1 ? '' : 's'}: ${results.length - failed} passed, ${failed} failed`,
  );
  return lines.join('\n') + '\n';
}
