import { describe, expect, it } from 'vitest';
import { formatProblem, hasErrors, type Problem } from '../../compiler/flow';

describe('formatProblem', () => {
  const nodeProblem: Problem = {
    severity: 'error',
    code: 'FLOW330',
    message: 'must be 0 or more',
    nodeId: 'collect1',
    nodeType: 'collectDigits',
    field: 'maxDigits',
  };

  it('prints file, node, type and field', () => {
    expect(formatProblem(nodeProblem, 'flow.json')).toBe(
      'flow.json: node collect1 (collectDigits) field maxDigits: error FLOW330: must be 0 or more',
    );
  });

  it("works without a file and prefers the argument over the problem's file", () => {
    expect(formatProblem(nodeProblem)).toBe(
      'node collect1 (collectDigits) field maxDigits: error FLOW330: must be 0 or more',
    );
    expect(formatProblem({ ...nodeProblem, file: 'a.json' })).toMatch(/^a\.json: node/);
    expect(formatProblem({ ...nodeProblem, file: 'a.json' }, 'b.json')).toMatch(/^b\.json: node/);
  });

  it('prints line:col after the file, and edges, paths and bare messages', () => {
    expect(
      formatProblem({ severity: 'error', code: 'FLOW301', message: 'invalid JSON: x', line: 3, column: 14 }, 'f.json'),
    ).toBe('f.json:3:14: error FLOW301: invalid JSON: x');
    expect(formatProblem({ severity: 'error', code: 'FLOW301', message: 'x', line: 2, column: 5 })).toBe(
      'line 2:5: error FLOW301: x',
    );
    expect(formatProblem({ severity: 'warning', code: 'FLOW312', message: 'w', edgeId: 'e1', field: 'target' })).toBe(
      'edge e1 field target: warning FLOW312: w',
    );
    expect(formatProblem({ severity: 'error', code: 'FLOW302', message: 'm', path: 'nodes[0].id' }, 'f')).toBe(
      'f: at nodes[0].id: error FLOW302: m',
    );
    expect(formatProblem({ severity: 'error', code: 'FLOW310', message: 'no start node' })).toBe(
      'error FLOW310: no start node',
    );
  });

  it('hasErrors ignores warnings', () => {
    expect(hasErrors([{ severity: 'warning', code: 'FLOW312', message: 'w' }])).toBe(false);
    expect(hasErrors([{ severity: 'warning', code: 'FLOW312', message: 'w' }, nodeProblem])).toBe(true);
  });
});
