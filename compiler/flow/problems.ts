// Flow problems are diagnostics (compiler/diagnostics.ts): one shape and one printer for loading and
// validating flows, so the CLI, the designer's problem list and the tests all speak the same language.
import { formatDiagnostic, hasErrors, type Diagnostic } from '../diagnostics';

export type Problem = Diagnostic;

/**
 * One line per problem, e.g.
 * `flow.json: node collect1 (collectDigits) field maxDigits: error FLOW330: must be 0 or more`,
 * `flow.json:3:14: error FLOW301: invalid JSON: expected ',' or '}'`.
 */
export function formatProblem(p: Problem, file?: string): string {
  return formatDiagnostic(p, file);
}

export { hasErrors };
