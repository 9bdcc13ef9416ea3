// The `ivr-studio` command line, for bin/ and for the launcher (electron/start.ts), which offers the
// same `serve` behaviour when it falls back to the browser.
export { main, buildProgram, type CliOutput } from './main';
export { CliError, processOutput, runProgram } from './io';
export { addServeOptions, DESIGNER_DIR, runServe, type ServeOpts } from './commands/serve';
