// The CLI's --dtmf script: keys in the order the caller types them; ',' is a one-second pause.
// "555,,1234#" → press 555, wait 2 s, press 1234#. Spaces are ignored, letters A-D are DTMF keys.
import type { CallerStep } from '../call/simulated';

export const DTMF_PAUSE_MS = 1000;

const KEY = /^[0-9*#A-D]$/;

/** Never throws: characters that are not keys or pauses are left out (dtmfScriptErrors names them). */
export function parseDtmfScript(text: string): CallerStep[] {
  const steps: CallerStep[] = [];
  for (const raw of String(text)) {
    const ch = raw.toUpperCase();
    const last = steps[steps.length - 1];
    if (KEY.test(ch)) {
      if (last && 'dtmf' in last) last.dtmf += ch;
      else steps.push({ dtmf: ch });
    } else if (ch === ',') {
      if (last && 'wait' in last) last.wait += DTMF_PAUSE_MS;
      else steps.push({ wait: DTMF_PAUSE_MS });
    }
  }
  return steps;
}

/** What parseDtmfScript would leave out, one message per character, with its 1-based column. */
export function dtmfScriptErrors(text: string): string[] {
  const errors: string[] = [];
  let col = 0;
  for (const ch of String(text)) {
    col++;
    if (KEY.test(ch.toUpperCase()) || ch === ',' || /\s/.test(ch)) continue;
    errors.push(`column ${col}: '${ch}' is not a DTMF key (0-9 * # A-D) or a pause (,)`);
  }
  return errors;
}
