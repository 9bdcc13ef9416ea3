// The runtime as a library: what the CLI (runtime/cli) and the desktop shell (electron/) build on.
// Start a SIP service for a flow or program, serve the designer, load and simulate a program.

/** Programs that answer real SIP calls (`ivr-studio run`, the desktop's Call ▸ Start SIP Runtime). */
export {
  startSipService,
  loadPrograms,
  ServiceError,
  type SipService,
  type SipServiceOptions,
} from './services/sip';
/** The designer's local server: HTTP API, live test calls, the built designer (docs/server-api.md). */
export { startServer, SAMPLES_DIR, type RunningServer, type ServerOptions } from './server';
/** Load a flow.json or .sppr and run it on a simulated call (`ivr-studio simulate`, the tests). */
export {
  loadProgram,
  simulateCall,
  type Program,
  type LoadProgramOptions,
  type SimulateOptions,
  type SimulateResult,
} from './host';
export { createMailer, type Mailer, type MailerOptions } from './mail';
export type { Transport } from './sip';
