// The CPU budget of one call's program, the same for both targets and every channel: a program may
// compute for a while between two waits for the caller, but one that runs `runawayMs` without waiting
// (a loop of conditions, a wired-to-itself prompt on an ended call) is stopped, and the call ends with
// a trace error that names the flow node it was looping in. The host checks the budget (the
// interpreter every 1024 steps, the JS module in every loop); the session wrapper here sees every
// PBX operation, so it knows when the program last waited, which node it is in, and how often it
// keeps asking an ended call for things (PlayFile returns at once once the caller has hung up).
import type { CallSession, EmailRequest } from './api';
import { threadCpuMs } from './cpu';

export interface CallBudgetOptions {
  /** Longest computation (CPU time; at most 1.8 times that in real time) without waiting for the caller; default 2500 ms. */
  runawayMs?: number;
  /** PBX operations the program may still make once the call has ended; default 1000. */
  afterEndOps?: number;
  /** Node events passed on between two waits; later ones only move `node` (the trace stays small). */
  nodeEventsPerRun?: number;
  /** SendEMail calls between two waits for the caller; default 50 (a loop round a failing SendEMail). */
  emailsPerRun?: number;
  /** Told (at most every 100 ms while running) which node the program is in: a watchdog's hint. */
  onNode?: (id: string) => void;
  /** Milliseconds of real time (default Date.now); tests give their own. */
  now?: () => number;
  /** Milliseconds of this thread's CPU time, or null where unknown (default threadCpuMs). */
  cpu?: () => number | null;
}

export const DEFAULT_RUNAWAY_MS = 2500;
const DEFAULT_AFTER_END_OPS = 1000;
const DEFAULT_NODE_EVENTS = 200;
const DEFAULT_EMAILS = 50;
/** However little CPU a runaway gets, it is stopped after this many times runawayMs of real time (4.5 s). */
const WALL_FACTOR = 1.8;
/** An operation that took at least this long on the call's clock waited for the caller. */
const WAIT_MS = 10;

/** Why a program was stopped by its budget; hosts turn it into the program's error. */
export class BudgetExceeded extends Error {
  constructor(
    message: string,
    readonly nodeId: string | null,
  ) {
    super(message);
    this.name = 'BudgetExceeded';
  }
}

export class CallBudget {
  readonly runawayMs: number;
  private readonly afterEndOps: number;
  private readonly nodeEventsPerRun: number;
  private readonly now: () => number;
  private readonly cpu: () => number | null;
  private resumedAt: number;
  private resumedCpu: number | null;
  private cpuCheckedAt = -Infinity;
  private cpuNow: number | null = null;
  private waiting = 0;
  private afterEnd = 0;
  private wasConnected = false;
  private nodeEvents = 0;
  private emails = 0;
  private readonly emailsPerRun: number;
  private hintAt = 0;
  private hinted: string | null = null;
  /** The flow node the program is in (the last one it entered). */
  node: string | null = null;

  constructor(private readonly options: CallBudgetOptions = {}) {
    this.runawayMs = positive(options.runawayMs, DEFAULT_RUNAWAY_MS);
    this.afterEndOps = positive(options.afterEndOps, DEFAULT_AFTER_END_OPS);
    this.nodeEventsPerRun = positive(options.nodeEventsPerRun, DEFAULT_NODE_EVENTS);
    this.emailsPerRun = positive(options.emailsPerRun, DEFAULT_EMAILS);
    this.now = options.now ?? Date.now;
    this.cpu = options.cpu ?? threadCpuMs;
    this.resumedAt = this.now();
    this.resumedCpu = this.cpu();
  }

  /**
   * Called often while the program runs: throws BudgetExceeded once it has computed for runawayMs
   * without waiting — CPU time where the system tells it (a loaded machine does not make a program a
   * runaway), but never more than 1.8 times that in real time.
   */
  check(): void {
    if (this.waiting > 0) return;
    const now = this.now();
    const ran = now - this.resumedAt;
    if (ran > this.runawayMs) {
      // Reading the CPU time costs a system call: at most every 50 ms, once a runaway is possible.
      if (now - this.cpuCheckedAt >= 50) {
        this.cpuCheckedAt = now;
        this.cpuNow = this.cpu();
      }
      const cpu = this.resumedCpu === null || this.cpuNow === null ? null : this.cpuNow - this.resumedCpu;
      if (cpu === null || cpu >= this.runawayMs || ran >= this.runawayMs * WALL_FACTOR) {
        const spent = cpu === null ? ran : Math.max(cpu, Math.min(ran, this.runawayMs));
        throw new BudgetExceeded(
          `the program ran ${(spent / 1000).toFixed(1)} s without waiting for the caller${this.where()}; it was stopped (a loop that never waits?)`,
          this.node,
        );
      }
    }
    if (this.node !== null && this.node !== this.hinted && now - this.hintAt >= 100) {
      this.hinted = this.node;
      this.hintAt = now;
      this.options.onNode?.(this.node);
    }
  }

  /** Wraps a session: PBX operations are timed and counted, node events thinned out. */
  wrap(session: CallSession): CallSession {
    return budgetedSession(session, this);
  }

  /** The program asks the call for something (`email`: SendEMail); returns the call's time, for after(). */
  before(session: CallSession, email = false): number {
    if (session.isConnected()) this.wasConnected = true;
    else if (this.wasConnected && ++this.afterEnd > this.afterEndOps) {
      throw new BudgetExceeded(
        `the program kept using the call after it ended (${this.afterEndOps} PBX operations)${this.where()}; it was stopped`,
        this.node,
      );
    }
    if (email && ++this.emails > this.emailsPerRun) {
      throw new BudgetExceeded(
        `the program sent ${this.emailsPerRun} e-mails without waiting for the caller${this.where()}; it was stopped`,
        this.node,
      );
    }
    this.waiting++;
    return session.now().getTime();
  }

  /**
   * …and has its answer. Only an operation that took time on the call's clock (a prompt playing,
   * ReadInput waiting, a recording) was a wait for the caller: then the time without waiting starts
   * again. ReadInput(0), a prompt skipped on an ended call or an e-mail are not waits.
   */
  after(session: CallSession, since: number): void {
    this.waiting--;
    if (session.isConnected()) this.wasConnected = true;
    let waited = true;
    try {
      waited = session.now().getTime() - since >= WAIT_MS;
    } catch {
      // A session without a clock: count it as a wait.
    }
    if (!waited) return;
    this.resumedAt = this.now();
    this.resumedCpu = this.cpu();
    this.cpuCheckedAt = -Infinity;
    this.nodeEvents = 0;
    this.emails = 0;
  }

  /** The program entered a node: whether to pass the node event on to the session. */
  enter(id: string): boolean {
    this.node = id;
    return ++this.nodeEvents <= this.nodeEventsPerRun;
  }

  private where(): string {
    return this.node === null ? '' : ` in node ${this.node}`;
  }
}

/** The session as a budgeted program sees it (see CallBudget.wrap). */
function budgetedSession(session: CallSession, budget: CallBudget): CallSession {
  const waits = async <T>(work: () => Promise<T>, email = false): Promise<T> => {
    const since = budget.before(session, email);
    try {
      return await work();
    } finally {
      budget.after(session, since);
    }
  };
  return {
    get id() {
      return session.id;
    },
    accept: () => waits(() => session.accept()),
    playFile: (name: string, msec?: number) => waits(() => session.playFile(name, msec)),
    readInput: (seconds: number) => waits(() => session.readInput(seconds)),
    sendEmail: (req: EmailRequest) => waits(() => session.sendEmail(req), true),
    redirect: (uri: string | string[]) => waits(() => session.redirect(uri)),
    record: (seconds: number) => waits(() => session.record(seconds)),
    disconnect: (code?: number, text?: string) => waits(() => session.disconnect(code, text)),
    dtmf: () => session.dtmf(),
    clearDtmf: () => session.clearDtmf(),
    setInterruptOnDtmf: (flag: boolean) => session.setInterruptOnDtmf(flag),
    ...(session.sendDtmf ? { sendDtmf: (symbol: string) => waits(() => session.sendDtmf!(symbol)) } : {}),
    isConnected: () => session.isConnected(),
    remoteUri: () => session.remoteUri(),
    localUri: () => session.localUri(),
    myEmail: () => session.myEmail(),
    myDomain: () => session.myDomain(),
    setLanguage: (lang: string | null) => session.setLanguage(lang),
    getLanguage: () => session.getLanguage(),
    getAccountPreference: (key: string) => session.getAccountPreference(key),
    now: () => session.now(),
    node: (id: string) => {
      if (budget.enter(id)) session.node(id);
    },
    log: (text: string) => session.log(text),
    // call modes, tasks, bridges and account data pass through (those that wait count as waiting)
    mode: () => session.mode(),
    reject: (code?: number | string) => waits(() => session.reject(code)),
    fork: (uri: string | string[]) => waits(() => session.fork(uri)),
    provision: (media: boolean) => waits(() => session.provision(media)),
    transfer: (destination: string) => waits(() => session.transfer(destination)),
    transferSupported: () => session.transferSupported(),
    isHalfConnected: () => session.isHalfConnected(),
    incomingRequestUri: () => session.incomingRequestUri(),
    pendingRequestData: (field: string) => session.pendingRequestData(field),
    remoteAuthentication: () => session.remoteAuthentication(),
    task: () => session.task(),
    spawn: (run, parameter) => session.spawn(run, parameter),
    startParameter: () => session.startParameter(),
    sendEvent: (to, what, parameter) => session.sendEvent(to, what, parameter),
    startCall: (destination: string) => session.startCall(destination),
    cancelCall: () => session.cancelCall(),
    startBridge: (to) => waits(() => session.startBridge(to)),
    acceptBridge: (event) => waits(() => session.acceptBridge(event)),
    rejectBridge: (event, error) => session.rejectBridge(event, error),
    breakBridge: () => session.breakBridge(),
    startBridgedCall: (destination, event) => session.startBridgedCall(destination, event),
    enqueue: (queue, parameter, pty) => session.enqueue(queue, parameter, pty),
    checkQueue: (queue) => session.checkQueue(queue),
    readQueue: (queue) => session.readQueue(queue),
    dequeue: (queue) => session.dequeue(queue),
    readGroupMembers: (group) => session.readGroupMembers(group),
    routeLocalUri: (uri) => session.routeLocalUri(uri),
    directory: () => session.directory(),
    error: (e) => session.error?.(e),
  };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}
