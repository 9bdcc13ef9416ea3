// A call worker: runs one call's program at a time on a thread of its own, so a program that computes
// for ever (or until its budget stops it) never holds up the thread that serves the designer, the SIP
// signalling or other calls. The session stays on the call's thread; RemoteSession reaches it.
import { parentPort } from 'node:worker_threads';
import { CallBudget } from '../../call/budget';
import type { StepFrame, StepPos } from '../../cgpl';
import { runCgplHost } from '../cgplHost';
import type { HostOptions, HostResult } from '../common';
import { runJsHost } from '../jsHost';
import { moduleLoader, type Program } from '../program';
import { CallDebugger } from './debugger';
import type { FromWorker, RunRequest, ToWorker } from './protocol';
import { RemoteSession } from './remoteSession';
import { hostFailure } from '../../call/trace';

const port = parentPort;
if (!port) throw new Error('runtime/host/isolated/worker.ts runs as a worker thread (see CallWorkers)');

let session: RemoteSession | null = null;
let debug: CallDebugger | null = null;

function post(m: FromWorker): void {
  port!.postMessage(m);
}

post({ t: 'ready' });

port.on('message', (m: ToWorker) => {
  switch (m.t) {
    case 'run':
      void run(m);
      return;
    case 'reply':
      session?.reply(m.id, m.ok, m.ok ? m.value : undefined, m.ok ? undefined : m.error);
      return;
    case 'breakpoints':
      debug?.setBreakpoints(m.list);
      return;
    case 'resume':
      if (m.step) debug?.step();
      else debug?.continue();
      return;
    case 'detach':
      debug?.detach();
      return;
  }
});

async function run(m: RunRequest): Promise<void> {
  session = new RemoteSession(m.sessionId, port!, m.sync);
  const control = new Int32Array(m.control);
  const budget = new CallBudget({ ...m.budget, onNode: (node) => post({ t: 'hint', node }) });
  const options: HostOptions = { budget };
  let frame: StepFrame | null = null;
  if (m.debug) {
    debug = new CallDebugger((pos: StepPos) => post({ t: 'paused', pos, variables: variables(frame) }));
    debug.setBreakpoints(m.debug.breakpoints);
    const onStep = debug.onStep;
    options.onStep = (pos, f) => {
      frame = f;
      // A pause asked for while the program computes: seen at once, through shared memory.
      if (Atomics.exchange(control, 0, 0) === 1) debug?.pause();
      return onStep(pos);
    };
  }
  const program = toProgram(m.program);
  let result: HostResult;
  try {
    result =
      m.target === 'js' ? await runJsHost(program, session, options) : await runCgplHost(program, session, options);
  } catch (err) {
    result = {
      ended: 'error',
      error: hostFailure(err, program.file),
    };
  }
  debug?.detach();
  debug = null;
  session = null;
  post({ t: 'done', result });
}

function toProgram(p: RunRequest['program']): Program {
  return {
    kind: p.kind,
    file: p.file,
    name: p.name,
    cgpl: {
      text: '',
      ast: p.cgpl.ast,
      file: p.cgpl.file,
      lineToNode: p.cgpl.lineToNode,
      ...(p.moduleDir !== undefined ? { modules: moduleLoader(p.moduleDir) } : {}),
    },
    js: p.js,
    flow: null,
    // The environment (prompts, accounts) belongs to the session, on the call's thread.
    environment: null as unknown as Program['environment'],
    warnings: [],
  };
}

/** A snapshot failing must not stop the pause from being reported. */
function variables(frame: StepFrame | null): Record<string, unknown> {
  try {
    return frame?.variables() ?? {};
  } catch {
    return {};
  }
}
