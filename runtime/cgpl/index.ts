// The CG/PL interpreter: runs a parsed program on a call, as CommuniGate starts a task at entry Main.
//
// Choices where CommuniGate's documentation is silent (each lives in one place):
// - truth: only null is false (values.ts isTrue); comparisons and logic give "YES" or null.
// - numbers wrap around at 64 bits (values.ts int64); division by zero is an error.
// - `+` of a string and a number writes the number in decimal; other mixed `+`, mixed ordering
//   comparisons and arithmetic on non-numbers are errors; `==` of different types is false
//   (operators.ts). `&` `|` `^` on two numbers are bitwise.
// - setting a dictionary key to null removes it; reading a key of null gives null (access.ts).
// - before the task starts the checker (compiler/cgpl/check.ts) refuses what the server's compiler
//   refuses — unknown names, argument counts, a function whose value is dropped without Void, a
//   procedure used as a value, names of built-ins — so nothing runs that the server would not load.
// - a documented built-in the local runtime does not carry out stops the task where it is called
//   (RUN403), never a silent no-op; task variables (top-level var) live in Task.taskVars.
// - Play and PlayTone are accepted and skipped; String(x) of a non-string/number is ObjectToString;
//   SysLog of a non-string logs its ObjectToString text.
import type { Program } from '../../compiler/cgpl/ast';
import { formatDiagnostic, type SourceDiagnostic } from '../../compiler/diagnostics';
import type { CallSession } from '../call/api';
import { isTimeZone } from './builtins/time';
import { CgplError, StopSignal } from './errors';
import { Frame, located, Scope, type CompiledRoutine, type Ctx } from './frame';
import { linkProgram, type ModuleLoader, type Routine } from './link';
import { compileRoutine } from './stmt';
import { Task, type StepPos } from './task';
import type { StepFrame } from './debug';
import { fromJs, TaskHandle, type Dict, type Value } from './values';

export type { StepPos } from './task';
export type { StepFrame } from './debug';
export { toJsonSafe } from './debug';
export type { Value, Dict } from './values';
export { isTrue } from './values';
export { BUDGET_MESSAGE, TIME_MESSAGE } from './errors';

export interface RunOptions {
  /** The entry to start at (default "Main"). */
  entry?: string;
  /** Becomes Vars().startParameter. */
  startParameter?: unknown;
  /** Loads module `name` (lower-case; the host reads name.sppi) for `external` and `m::f` calls. */
  modules?: ModuleLoader;
  /** Steps (statements and loop iterations) before the task is stopped; default 10 000 000. */
  stepBudget?: number;
  /** Real time before the task is stopped; default one hour. */
  wallClockMs?: number;
  /** Source map: the flow node of a line; session.node(id) is called when it changes. */
  lineToNode?: (line: number) => string | null;
  /** File name for error messages. */
  file?: string;
  /**
   * Debugger hook, awaited before every statement. `frame.variables()` snapshots the running
   * routine's variables as JSON (see debug.ts) when called: call it while the hook runs to see
   * them as they are before the statement.
   */
  onStep?: (pos: StepPos, frame: StepFrame) => void | Promise<void>;
  /**
   * The host's CPU budget (runtime/call/budget.ts CallBudget.check): called every 1024 steps; what
   * it throws (BudgetExceeded) ends the program with that message at the running statement.
   */
  check?: () => void;
  /** IANA time zone for LocalTime() (default: the account's TimeZone preference, else the host's). */
  timeZone?: string;
}

/** A load or run error; `file` is set when it is in a module (name.sppi) rather than the program itself. */
export type RunError = SourceDiagnostic;

export interface RunResult {
  ended: 'stop' | 'end' | 'error';
  error?: RunError;
  steps: number;
}

/** `callback.sppr:12:5: error CGPL201: unknown function 'PlayFiel'` */
export function formatRunError(error: RunError, file = 'program.sppr'): string {
  return formatDiagnostic(error, error.file ?? file);
}

/**
 * Checks a program the way the server's compiler would (unknown names, argument counts, procedure
 * vs function, forward/external declarations, exitif outside a loop) without running it.
 */
export function checkProgram(program: Program, modules?: ModuleLoader, file?: string): SourceDiagnostic[] {
  try {
    return linkProgram(program, modules, file).errors;
  } catch (e) {
    return [
      {
        severity: 'error',
        code: 'CGPL299',
        message: `internal error: ${e instanceof Error ? e.message : String(e)}`,
        line: 1,
        column: 1,
      },
    ];
  }
}

function defaultTimeZone(session: CallSession, requested: string | undefined): string {
  if (requested && isTimeZone(requested)) return requested;
  try {
    const pref = session.getAccountPreference('TimeZone');
    if (typeof pref === 'string' && isTimeZone(pref)) return pref;
  } catch {
    // a session without preferences: fall through to the host's zone
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

async function hangUp(session: CallSession): Promise<void> {
  try {
    if (session.isConnected()) await session.disconnect();
  } catch {
    // the call is gone either way
  }
}

/**
 * Runs `program` from its entry on `session` and hangs up when it ends. Never throws: errors come
 * back in the result with line:col.
 * @example
 *   const { program } = parseCgpl(source, 'callback.sppr');
 *   const result = await runProgram(program!, session, { file: 'callback.sppr' });
 *   if (result.error) console.error(formatRunError(result.error, 'callback.sppr'));
 */
export async function runProgram(program: Program, session: CallSession, options: RunOptions = {}): Promise<RunResult> {
  const vars: Dict = new Map();
  const start = options.startParameter !== undefined ? options.startParameter : session.startParameter?.();
  if (start !== undefined) {
    const p = fromJs(start);
    if (p !== null) vars.set('startParameter', p);
  }
  let task: Task | null = null;
  const fail = (e: RunError): RunResult => ({ ended: 'error', error: e, steps: task?.steps ?? 0 });
  let result: RunResult;
  try {
    const tz = defaultTimeZone(session, options.timeZone);
    task = new Task(session, vars, options.stepBudget ?? 10_000_000, options.wallClockMs ?? 3_600_000, tz, tz);
    task.check = options.check;
    const linked = linkProgram(program, options.modules, options.file, options.onStep !== undefined);
    const first = linked.errors[0];
    const entryName = options.entry ?? 'Main';
    const entry: Routine | undefined = linked.units[0]?.entries.get(entryName.toLowerCase());
    if (first) {
      const { file: where, ...rest } = first;
      result = fail({ ...rest, ...(where && where !== options.file ? { file: where } : {}) });
    } else if (!entry)
      result = fail({
        severity: 'error',
        code: 'RUN402',
        message: `no entry '${entryName}' in the program`,
        line: 1,
        column: 1,
      });
    else result = await run(task, linked, entry, options);
  } catch (e) {
    const deep = e instanceof RangeError && /call stack/i.test(e.message);
    result = fail({
      severity: 'error',
      code: deep ? 'RUN406' : 'RUN499',
      line: 1,
      column: 1,
      message: deep
        ? 'program nested too deeply to run'
        : `internal error: ${e instanceof Error ? e.message : String(e)}`,
    });
  }
  await hangUp(session);
  return result;
}

/**
 * `spawn Entry(arg)`: a new task (a new Call API session, disconnected) runs the entry with its own
 * Vars(); arg becomes its Vars().startParameter. Its runtime errors go to the trace.
 */
function spawnTask(
  parent: Task,
  linked: ReturnType<typeof linkProgram>,
  name: string,
  arg: Value,
  options: RunOptions,
): TaskHandle {
  const entry = linked.units[0]?.entries.get(name.toLowerCase());
  if (!entry) throw new CgplError(`spawn ${name}: there is no entry '${name}' in this program`);
  const ref = parent.session.spawn(async (child) => {
    const vars: Dict = new Map();
    if (arg !== null) vars.set('startParameter', arg);
    const task = new Task(
      child,
      vars,
      parent.budget,
      parent.wallClockMs,
      parent.defaultTimeZone,
      parent.defaultTimeZone,
    );
    const result = await run(task, linked, entry, { ...options, onStep: undefined });
    if (result.error) child.error?.({ ...result.error, file: result.error.file ?? options.file ?? '' });
    await hangUp(child);
  }, arg);
  return ref instanceof TaskHandle ? ref : new TaskHandle(ref.taskId);
}

async function run(
  task: Task,
  linked: ReturnType<typeof linkProgram>,
  entry: Routine,
  options: RunOptions,
): Promise<RunResult> {
  const ctx: Ctx = {
    task,
    spawn: (name, arg) => spawnTask(task, linked, name, arg, options),
    targets: linked.targets,
    compiled: new Map<Routine, CompiledRoutine>(),
    async: linked.async,
    unit: null,
    scope: new Scope(),
    file: options.file,
    ...(options.lineToNode ? { lineToNode: options.lineToNode } : {}),
    ...(options.onStep ? { onStep: options.onStep } : {}),
  };
  for (const unit of linked.units) {
    for (const r of [...unit.entries.values(), ...unit.routines.values()]) if (r.body) compileRoutine(ctx, r);
  }
  const main = ctx.compiled.get(entry)!;
  try {
    await main.body.run(new Frame(main.slots));
    return { ended: 'end', steps: task.steps };
  } catch (e) {
    if (e instanceof StopSignal) return { ended: 'stop', steps: task.steps };
    const err = located(e, task.pos, task.file) as CgplError;
    const pos = err.pos ?? task.pos;
    const file = err.file !== options.file ? err.file : undefined;
    return {
      ended: 'error',
      error: {
        severity: 'error',
        code: err instanceof CgplError ? err.code : 'RUN499',
        message: err.message,
        line: pos.line,
        column: pos.col,
        ...(file !== undefined ? { file } : {}),
      },
      steps: task.steps,
    };
  }
}
