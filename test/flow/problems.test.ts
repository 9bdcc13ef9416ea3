import { describe, expect, it } from 'vitest';
import { formatProblem, hasErrors, type Problem } from '../../compiler/flow';

describe('formatProblem', () => {
  const nodeProblem: Problem = {
    severity: 'error',
    message: 'must be 0 or more',
    nodeId: 'collect1',
    nodeType: 'collectDigits',
    field: 'maxDigits',
  };

  it('prints file, node, type and field', () => {
    expect(formatProblem(nodeProblem, 'flow.json')).toBe(
      'flow.json: node collect1 (collectDigits) field maxDigits: error: must be 0 or more',
    );
  });

  it("works without a file and prefers the argument over the problem's file", () => {
    expect(formatProblem(nodeProblem)).toBe('node collect1 (collectDigits) field maxDigits: error: must be 0 or more');
    expect(formatProblem({ ...nodeProblem, file: 'a.json' })).toMatch(/^a\.json: node/);
    expect(formatProblem({ ...nodeProblem, file: 'a.json' }, 'b.json')).toMatch(/^b\.json: node/);
  });

  it('prints line:col after the file, and edges, paths and bare messages', () => {
    expect(formatProblem({ severity: 'error', message: 'invalid JSON: x', line: 3, column: 14 }, 'f.json')).toBe(
      'f.json:3:14: error: invalid JSON: x',
    );
    expect(formatProblem({ severity: 'error', message: 'x', line: 2, column: 5 })).toBe('line 2:5: error: x');
    expect(formatProblem({ severity: 'warning', message: 'w', edgeId: 'e1', field: 'target' })).toBe(
      'edge e1 field target: warning: w',
    );
    expect(formatProblem({ severity: 'error', message: 'm', path: 'nodes[0].id' }, 'f')).toBe(
      'f: at nodes[0].id: error: m',
    );
    expect(formatProblem({ severity: 'error', message: 'no start node' })).toBe('error: no start node');
  });

  it('hasErrors ignores warnings', () => {
    expect(hasErrors([{ severity: 'warning', message: 'w' }])).toBe(false);
    expect(hasErrors([{ severity: 'warning', message: 'w' }, nodeProblem])).toBe(true);
  });
});
