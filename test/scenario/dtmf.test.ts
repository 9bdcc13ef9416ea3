import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { parseDtmfScript, dtmfScriptErrors, DTMF_PAUSE_MS } from '../../runtime/scenario/dtmf';

describe('parseDtmfScript', () => {
  it('turns keys and pauses into caller steps', () => {
    expect(parseDtmfScript('555,,1234#')).toEqual([{ dtmf: '555' }, { wait: 2 * DTMF_PAUSE_MS }, { dtmf: '1234#' }]);
    expect(parseDtmfScript(',1 2*a')).toEqual([{ wait: 1000 }, { dtmf: '12*A' }]);
    expect(parseDtmfScript('')).toEqual([]);
  });

  it('names what it leaves out', () => {
    expect(dtmfScriptErrors('12x#')).toEqual(["column 3: 'x' is not a DTMF key (0-9 * # A-D) or a pause (,)"]);
    expect(dtmfScriptErrors('555, ,1234#')).toEqual([]);
  });

  it('never throws; keeps every key in order; pauses add up', () => {
    const piece = fc.oneof(fc.constantFrom(...'0123456789*#ABCDabcd,, '.split('')), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 40 }).map((a) => a.join('')),
        (text) => {
          const steps = parseDtmfScript(text);
          const keys = [...text]
            .map((c) => c.toUpperCase())
            .filter((c) => /^[0-9*#A-D]$/.test(c))
            .join('');
          const typed = steps.map((s) => ('dtmf' in s ? s.dtmf : '')).join('');
          const waited = steps.reduce((sum, s) => sum + ('wait' in s ? s.wait : 0), 0);
          const pauses = [...text].filter((c) => c === ',').length;
          // Adjacent steps of one kind are merged, so kinds alternate.
          const alternates = steps.every(
            (s, i) => i === 0 || Object.keys(s)[0] !== Object.keys(steps[i - 1] as object)[0],
          );
          return typed === keys && waited === pauses * DTMF_PAUSE_MS && alternates;
        },
      ),
      { numRuns: 500 },
    );
  });
});
