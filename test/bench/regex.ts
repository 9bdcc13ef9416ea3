// The regex engine (compiler/regex) on hostile and ordinary patterns: time per FindRegEx, and how
// long the worst call can take before the step limit stops it. ECMAScript's backtracking RegExp,
// which both targets used before, is shown for the hostile pattern at sizes it still survives.
import { compileRegex, MAX_STEPS, RegexLimitError } from '../../compiler/regex';
import { printTable, timeMedian, type Row } from './table';

export function regexBench(): void {
  const rows: Row[] = [];
  const row = (engine: string, pattern: string, input: string, run: () => unknown, goal = '') => {
    // warm up (JIT) for ~20 ms, then repeat fast matches so one sample lasts a few milliseconds
    let runs = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < 20) {
      run();
      runs++;
    }
    const once = Math.max((performance.now() - t0) / runs, 0.001);
    const repeat = Math.max(1, Math.min(10_000, Math.round(3 / once)));
    const ms = timeMedian(
      () => {
        for (let i = 0; i < repeat; i++) run();
      },
      7,
      2,
    );
    rows.push({ engine, pattern, 'input chars': input.length, 'µs/match': (ms * 1000) / repeat, goal });
  };
  const cases: [string, string, string][] = [
    ['^(1+)+2$', '1'.repeat(40), 'µs–ms (issue 11)'],
    ['^(1+)+2$', '1'.repeat(4000), 'linear'],
    ['^[[:alpha:]]+$', 'a'.repeat(40), ''],
    ['^[0-9]{7,10}$', '5551234', ''],
    ['(a|aa)*b', 'a'.repeat(1000), ''],
    ['(a*)*(a*)*(a*)*c', 'a'.repeat(1000), ''],
  ];
  // a first pass only warms the matcher up (V8 optimises it after a while); the second is measured
  for (const [pattern, input] of cases) {
    const re = compileRegex(pattern);
    for (let i = 0; i < 200; i++) re.exec(input);
  }
  for (const [pattern, input, goal] of cases) {
    const re = compileRegex(pattern);
    row('compiler/regex', pattern, input, () => re.exec(input), goal);
  }
  for (const n of [16, 20, 22]) {
    const input = '1'.repeat(n);
    const re = /^(1+)+2$/;
    row('ECMAScript RegExp', '^(1+)+2$', input, () => re.exec(input), n === 22 ? 'doubles per key' : '');
  }
  // the longest a single FindRegEx can run: a big program on a long text, stopped by the limit
  const big = compileRegex('([[:alnum:]]|[[:punct:]]|a|b|c|d|e|f|g|h){1,120}z');
  const text = 'abcdefgh'.repeat(50_000);
  const t0 = performance.now();
  let stopped = false;
  try {
    big.exec(text);
  } catch (e) {
    stopped = e instanceof RegexLimitError;
  }
  rows.push({
    engine: 'compiler/regex',
    pattern: `step limit (${MAX_STEPS.toLocaleString('en')} steps)`,
    'input chars': text.length,
    'µs/match': (performance.now() - t0) * 1000,
    goal: stopped ? 'stopped: a runtime error, never a hang' : 'NOT STOPPED',
  });
  printTable('FindRegEx (median of 7)', rows);
}
