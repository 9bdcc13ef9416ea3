// The Call API, the simulated channel, the trace, the clock and the PBX environment.
export type { CallSession, Input, InputEvent, EmailRequest, EmailPart } from './api';
export { realClock, offsetClock, VirtualClock, whileBusy, type Clock, type VirtualClockOptions } from './clock';
export {
  Trace,
  formatTraceEvent,
  formatOffset,
  type TraceEvent,
  type TraceBody,
  type TraceKind,
  type TraceListener,
  type CutReason,
  type HangupBy,
  type TextOptions,
} from './trace';
export {
  directoryEnvironment,
  flowEnvironment,
  resolveAccount,
  wavDurationMs,
  MISSING_PROMPT_MS,
  type CallEnvironment,
  type EnvironmentOptions,
  type ResolvedPrompt,
  type AccountInfo,
} from './environment';
export {
  createSimulatedCall,
  SimulatedCall,
  silentWav,
  type SimulatedCallOptions,
  type CallerStep,
  type MailSender,
  type EmailMeta,
  type SentEmail,
  type CallResult,
} from './simulated';
