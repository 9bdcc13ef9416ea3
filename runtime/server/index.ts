// The local server of IVR Studio: the designer's HTTP API, live test calls over a WebSocket and the
// built designer itself (docs/server-api.md is the contract).
export { startServer, type ServerOptions, type RunningServer } from './server';
export { SAMPLES_DIR, BUNDLED_SAMPLES } from './samples';
export { toTelephoneWav } from './wav';
