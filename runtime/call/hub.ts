// The tasks of one run (a simulated call and the tasks it spawns; the SIP server's calls): task
// handles, events between tasks, pending StartBridge requests, account queues, the PBX data and the
// dialer for outgoing calls. Every CallTask belongs to one hub.
import type { QueueEntry, QueueInfo, TaskRef } from './api';
import type { Clock } from './clock';
import { Directory } from './directory';
import type { Dialer } from './parties';
import type { CallTask, SentEmail } from './task';
import type { Trace } from './trace';

/** A StartBridge waiting for the other task's AcceptBridge / RejectBridge / StartBridgedCall. */
export interface BridgeRequest {
  from: CallTask;
  to: CallTask;
  settle(error: string | null): void;
}

interface Enqueued {
  task: CallTask;
  parameter: unknown;
  pty: string;
  seq: number;
}

export interface TaskHubOptions {
  clock: Clock;
  trace: Trace;
  directory?: Directory;
  dialer?: Dialer | null;
  /** When the run gives up (the simulator's "the caller gives up after an hour"); absent: never. */
  deadlineMs?: number;
}

export class TaskHub {
  readonly clock: Clock;
  readonly trace: Trace;
  readonly directory: Directory;
  dialer: Dialer | null;
  readonly deadlineMs: number;
  /** Every SendEMail of the run's tasks, in order. */
  readonly emails: SentEmail[] = [];
  private readonly tasks = new Map<string, CallTask>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly requests: BridgeRequest[] = [];
  private readonly queues = new Map<string, Enqueued[]>();
  private seq = 0;
  private queueSeq = 0;
  private expired = false;
  /** SendEMail of every task is refused at submission (a scenario's "smtp": "refuse"). */
  refuseEmail = false;
  /** What the trace says when the deadline passes. */
  expiryText = 'the run reached its time limit';

  constructor(o: TaskHubOptions) {
    this.clock = o.clock;
    this.trace = o.trace;
    this.directory = o.directory ?? new Directory(undefined);
    this.dialer = o.dialer ?? null;
    this.deadlineMs = o.deadlineMs ?? Number.POSITIVE_INFINITY;
  }

  /** A new task id: t1 is the first task of a run, t2 … the ones it spawns. */
  nextId(): string {
    return `t${++this.seq}`;
  }

  add(task: CallTask): void {
    this.tasks.set(task.taskId, task);
  }

  find(ref: TaskRef): CallTask | undefined {
    return this.tasks.get(ref.taskId);
  }

  /** Runs a task's program; the hub knows it is running until it settles. */
  track(work: Promise<unknown>): void {
    const p = work.finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves once every task program started on this hub has ended. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  /**
   * The run's deadline passed: the callers give up (their calls end as if they hung up); the other
   * tasks see that first, and any task that still waits afterwards loses its call too.
   */
  expire(): void {
    if (this.expired) return;
    this.expired = true;
    this.trace.add({ kind: 'log', text: this.expiryText });
    for (const task of [...this.tasks.values()]) if (task.isCallerTask()) task.expireCall();
  }

  /** A task ended: it leaves the hub, its queue places and its pending bridge requests. */
  remove(task: CallTask): void {
    this.tasks.delete(task.taskId);
    for (const [, list] of this.queues) {
      const i = list.findIndex((e) => e.task === task);
      if (i >= 0) list.splice(i, 1);
    }
    for (const r of [...this.requests]) {
      if (r.to === task) this.settle(r, 'the task has ended');
      else if (r.from === task) this.drop(r);
    }
  }

  // ── StartBridge requests ─────────────────────────────────────────────────────────────────

  request(from: CallTask, to: CallTask, settle: (error: string | null) => void): BridgeRequest {
    const r: BridgeRequest = { from, to, settle };
    this.requests.push(r);
    return r;
  }

  /** The pending request `from` sent to `to`, if any. */
  pending(from: CallTask, to: CallTask): BridgeRequest | undefined {
    return this.requests.find((r) => r.from === from && r.to === to);
  }

  settle(r: BridgeRequest, error: string | null): void {
    if (!this.drop(r)) return;
    r.settle(error);
  }

  private drop(r: BridgeRequest): boolean {
    const i = this.requests.indexOf(r);
    if (i < 0) return false;
    this.requests.splice(i, 1);
    return true;
  }

  // ── account queues ───────────────────────────────────────────────────────────────────────

  enqueue(task: CallTask, queue: string, parameter: unknown, pty: string): QueueInfo {
    const list = this.queue(task, queue);
    const old = list.findIndex((e) => e.task === task);
    if (old >= 0) list.splice(old, 1);
    const entry: Enqueued = { task, parameter, pty, seq: ++this.queueSeq };
    // Higher priority first; the same priority keeps arrival order.
    let at = list.length;
    while (at > 0 && (list[at - 1] as Enqueued).pty < pty) at--;
    list.splice(at, 0, entry);
    return { length: list.length, position: list.indexOf(entry) };
  }

  check(task: CallTask, queue: string): QueueInfo {
    const list = this.queue(task, queue);
    const position = list.findIndex((e) => e.task === task);
    return position >= 0 ? { length: list.length, position } : { length: list.length };
  }

  read(task: CallTask, queue: string): (QueueEntry & { task: CallTask }) | null {
    const first = this.queue(task, queue).shift();
    return first ? { id: first.task.ref, parameter: first.parameter, pty: first.pty, task: first.task } : null;
  }

  dequeue(task: CallTask, queue: string): boolean {
    const list = this.queue(task, queue);
    const i = list.findIndex((e) => e.task === task);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  }

  /** Queues belong to an account: the key is the task's account and the queue name ("" = default). */
  private queue(task: CallTask, name: string): Enqueued[] {
    const key = `${task.myEmail().toLowerCase()}/${name.toLowerCase()}`;
    let list = this.queues.get(key);
    if (!list) this.queues.set(key, (list = []));
    return list;
  }
}
