// Questions on the terminal: a password without echo, and a yes/no. Only where stdin is a terminal;
// the callers say what to do instead when it is not.
import { CliError } from './io';

/** The part of a TTY read stream a question needs (process.stdin, or a test's stand-in). */
export interface TtyInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  on(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  off(event: 'data', listener: (chunk: Buffer | string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

export interface TtyOutput {
  write(text: string): unknown;
}

/** Reads one line with nothing echoed; Ctrl+C cancels, Backspace deletes. */
export function askHidden(question: string, input: TtyInput, output: TtyOutput): Promise<string> {
  if (!input.isTTY || !input.setRawMode) throw new CliError('cannot ask for the password: stdin is not a terminal');
  output.write(question);
  input.setRawMode(true);
  input.resume();
  return new Promise((resolve, reject) => {
    let typed = '';
    const done = (finish: () => void) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      finish();
    };
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString()) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(typed));
        if (ch === '\u0003') return done(() => reject(new CliError('cancelled')));
        if (ch === '\u0004') {
          if (typed === '') return done(() => reject(new CliError('cancelled')));
          continue;
        }
        if (ch === '\u007f' || ch === '\b') typed = [...typed].slice(0, -1).join('');
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
  });
}

/** A yes/no question; anything but y/yes is no. */
export function askYesNo(question: string, input: TtyInput, output: TtyOutput): Promise<boolean> {
  if (!input.isTTY) throw new CliError('cannot ask: stdin is not a terminal');
  output.write(question);
  input.resume();
  return new Promise((resolve) => {
    let typed = '';
    const onData = (chunk: Buffer | string) => {
      typed += chunk.toString();
      const end = typed.search(/[\r\n]/);
      if (end < 0) return;
      input.off('data', onData);
      input.pause();
      resolve(/^\s*y(es)?\s*$/i.test(typed.slice(0, end)));
    };
    input.on('data', onData);
  });
}
