// The call workers of a process: threads that run one program each at a time. A few are kept
// started in advance, so a call does not wait for a thread and its modules to load; a thread whose
// program had to be stopped from outside is thrown away, the others are used again.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface CallWorkersOptions {
  /** Threads kept started and idle; default 1. */
  spares?: number;
  /** Heap limit of each thread: a program that grows past it ends with a clear error; default 512 MB. */
  maxHeapMb?: number;
  /** Programs a thread runs before it is replaced (compiled modules stay loaded); default 50. */
  runsPerThread?: number;
  /** The worker script; default the bundled call-worker.mjs beside this module, else the source. */
  entry?: URL | string;
}

export interface CallThread {
  worker: Worker;
  runs: number;
  /** Its modules are loaded (it said ready). */
  loaded: boolean;
  /** Resolves once the thread's modules are loaded (its first message). */
  ready: Promise<void>;
}

/** The built worker next to a bundle (Electron), else the TypeScript source through tsx. */
function workerEntry(): URL {
  const bundled = new URL('./call-worker.mjs', import.meta.url);
  if (bundled.protocol === 'file:' && existsSync(fileURLToPath(bundled))) return bundled;
  return new URL('./worker-boot.mjs', import.meta.url);
}

export class CallWorkers {
  private readonly idle: CallThread[] = [];
  private closed = false;
  readonly maxHeapMb: number;
  private readonly spares: number;
  private readonly runsPerThread: number;
  private readonly entry: URL | string;

  constructor(options: CallWorkersOptions = {}) {
    this.entry = options.entry ?? workerEntry();
    this.spares = options.spares ?? 1;
    this.maxHeapMb = options.maxHeapMb ?? 512;
    this.runsPerThread = options.runsPerThread ?? 50;
  }

  /** A thread for one run: an idle one, or a new one. */
  take(): CallThread {
    if (this.closed) throw new Error('the call workers are closed');
    const thread = this.idle.shift() ?? this.spawn();
    this.refill();
    return thread;
  }

  /** Gives back a thread whose run ended normally: kept (it is warm) unless enough are idle and ready. */
  give(thread: CallThread): void {
    if (this.closed || thread.runs >= this.runsPerThread) {
      void thread.worker.terminate();
      return;
    }
    if (this.idle.length >= Math.max(1, this.spares)) {
      // A spare still loading its modules is worth less than this warm thread.
      const loading = this.idle.findIndex((t) => !t.loaded);
      if (loading < 0) {
        void thread.worker.terminate();
        return;
      }
      void this.idle.splice(loading, 1)[0]!.worker.terminate();
    }
    thread.worker.unref();
    this.idle.push(thread);
  }

  /** Throws away a thread (its program is stuck, or it died). */
  discard(thread: CallThread): void {
    void thread.worker.terminate();
    this.refill();
  }

  /** Resolves once the spare threads are started and their modules loaded (e.g. before the first call). */
  async warm(): Promise<void> {
    this.refill();
    const waiting = [...this.idle];
    // Idle threads do not keep the process alive; while we wait for them, they must.
    for (const t of waiting) t.worker.ref();
    try {
      await Promise.all(waiting.map((t) => t.ready.catch(() => undefined)));
    } finally {
      for (const t of waiting) if (this.idle.includes(t)) t.worker.unref();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.idle.splice(0).map((t) => t.worker.terminate()));
  }

  private refill(): void {
    while (!this.closed && this.idle.length < this.spares) {
      const thread = this.spawn();
      thread.worker.unref();
      this.idle.push(thread);
    }
  }

  private spawn(): CallThread {
    const worker = new Worker(this.entry, {
      resourceLimits: { maxOldGenerationSizeMb: this.maxHeapMb },
    });
    // The worker says `ready` once its modules are loaded.
    const ready = new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    ready.catch(() => undefined);
    const thread: CallThread = { worker, runs: 0, loaded: false, ready };
    void ready.then(() => {
      thread.loaded = true;
    });
    // An idle thread that dies is simply not used.
    worker.on('error', () => {
      const at = this.idle.findIndex((t) => t.worker === worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return thread;
  }
}

let shared: CallWorkers | null = null;

/** The process's call workers (started on first use). */
export function callWorkers(): CallWorkers {
  shared ??= new CallWorkers();
  return shared;
}
