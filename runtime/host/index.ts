// Program hosts: load a .sppr or a flow, run it on a call (CG/PL interpreter or compiled JS module).
export { loadProgram, type Program, type LoadProgramResult, type LoadProgramOptions } from './program';
export { runCgplHost } from './cgplHost';
export { runJsHost } from './jsHost';
export { simulateCall, type SimulateOptions, type SimulateResult, type Target } from './simulate';
export type { HostOptions, HostResult, HostError } from './common';
export { needsCallThread } from './common';
export { runIsolated, CallWorkers, callWorkers, type IsolatedOptions, type IsolatedRun } from './isolated';
export { programFromFlow, type FlowProgramOptions, type FlowProgramResult } from './fromFlow';
