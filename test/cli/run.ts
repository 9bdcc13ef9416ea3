// Runs the CLI in-process: main(argv, io) with stdout and stderr captured.
import { main } from '../../runtime/cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
  /** stderr's non-empty lines */
  errLines: string[];
}

export async function cli(...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const code = await main(['node', 'ivr-studio', ...args], {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
  });
  return { code, out, err, errLines: err.split('\n').filter((l) => l.trim() !== '') };
}

/** Nothing in the output looks like a stack trace. */
export function noStackTrace(text: string): boolean {
  return !/^\s+at .+\(.+:\d+:\d+\)$/m.test(text) && !/internal error/.test(text);
}
