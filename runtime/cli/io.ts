// Small helpers for the CLI: running a command line to an exit code, and file access; every failure
// becomes one clear line, never a stack trace.
import { CommanderError, type Command } from 'commander';
import type { CliOutput } from './main';
import { writeAtomic as writeFileAtomically } from '../fs/atomic';
import { FileRefused, readTextLimited } from '../fs/limited';
import { maxFlowBytes, maxProgramBytes } from '../host/program';

/** A user-facing error: printed as one line on stderr, exit code 1. */
export class CliError extends Error {}

/** A program or flow file, within its size limit (runtime/host maxProgramBytes / maxFlowBytes). */
export async function readText(path: string, what: 'program' | 'flow file'): Promise<string> {
  const flow = what === 'flow file';
  try {
    return await readTextLimited(
      path,
      flow ? maxFlowBytes() : maxProgramBytes(),
      flow ? 'flows' : 'programs',
      flow ? 'IVR_STUDIO_MAX_FLOW_MB' : 'IVR_STUDIO_MAX_PROGRAM_MB',
    );
  } catch (err) {
    if (err instanceof FileRefused) throw new CliError(`${path}: ${err.message}`);
    throw new CliError(`cannot read ${what} ${path}: ${describeFsError(err)}`);
  }
}

/** Writes atomically (temp file + rename); a failure becomes one clear line. */
export async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  try {
    await writeFileAtomically(path, data);
  } catch (err) {
    throw new CliError(`cannot write ${path}: ${describeFsError(err)}`);
  }
}

export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOTDIR':
      return 'a part of the path is not a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Writes to a standard stream until its reader goes away (`ivr-studio validate … | head`): then the
 * rest is dropped and the command ends with its own exit code — a closed pipe is not our error.
 */
function writerTo(stream: NodeJS.WriteStream): (text: string) => void {
  let gone = false;
  let watching = false;
  return (text) => {
    if (!watching) {
      watching = true;
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
        gone = true;
      });
    }
    if (!gone && !stream.destroyed) stream.write(text);
  };
}

export const processOutput: CliOutput = {
  out: writerTo(process.stdout),
  err: writerTo(process.stderr),
};

/**
 * Parses argv with the program build() makes and returns the exit code: the highest code a command
 * set, commander's own for usage errors, 1 with one line for a CliError, 2 for a bug (with its stack).
 */
export async function runProgram(
  build: (setExit: (code: number) => void) => Command,
  argv: string[],
  io: CliOutput,
): Promise<number> {
  let code = 0;
  const program = build((c) => {
    code = Math.max(code, c);
  });
  try {
    await program.parseAsync(argv);
    return code;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      io.err(`ivr-studio: ${err.message}\n`);
      return 1;
    }
    io.err(`ivr-studio: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 2;
  }
}
