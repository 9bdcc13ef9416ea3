// Small file helpers for the CLI: every failure becomes one clear line, never a stack trace.
import { readFile } from 'node:fs/promises';
import { writeAtomic as writeFileAtomically } from '../fs/atomic';

/** A user-facing error: printed as one line on stderr, exit code 1. */
export class CliError extends Error {}

export async function readText(path: string, what = 'file'): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
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
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'it is a directory';
    case 'ENOTDIR': return 'a part of the path is not a directory';
    default: return err instanceof Error ? err.message : String(err);
  }
}
