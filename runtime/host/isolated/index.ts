// Programs on call workers: a runaway program cannot hold up the thread that owns the call.
export { runIsolated, type IsolatedOptions, type IsolatedRun } from './run';
export { CallWorkers, callWorkers, type CallWorkersOptions } from './workers';
export { CallDebugger } from './debugger';
