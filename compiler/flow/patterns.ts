// What validation says about a `matches` condition's pattern: the engine's own verdict
// (compiler/regex, the matcher both targets run), with the place in the pattern.
import { checkRegex } from '../regex';

export interface PatternProblem {
  severity: 'error' | 'warning';
  message: string;
}

/**
 * @example patternProblems('\\d+') // [{ severity: 'error', message: "not a POSIX … at character 1: \\d is not POSIX; write [[:digit:]]" }]
 */
export function patternProblems(pattern: string): PatternProblem[] {
  const check = checkRegex(pattern);
  const at = (offset: number) => `at character ${offset + 1}`;
  if (check.error) {
    return [
      {
        severity: 'error',
        message: `not a POSIX extended regular expression, so it never matches (${at(check.error.offset)}): ${check.error.message}`,
      },
    ];
  }
  return check.notes.map((n) => ({ severity: 'warning', message: `${n.message} (${at(n.offset)})` }));
}
