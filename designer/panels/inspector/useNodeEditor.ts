// Editing one node from a form: typed patch + the problems of each field.
import { useCallback } from 'react';
import type { FlowNode } from '../../../compiler/flow/schema';
import type { Problem } from '../../../compiler/flow/problems';
import { runAction } from '../../actions';
import { useProblems } from '../../hooks/useApp';
import { problemsFor } from '../../store/derived';

export function useNodeEditor<N extends FlowNode>(node: N) {
  const problems = useProblems((s) => s.problems);
  const set = useCallback(
    <K extends keyof N['data'] & string>(field: K, value: N['data'][K]) => {
      void runAction('updateNodeData', { id: node.id, patch: { [field]: value }, field });
    },
    [node.id],
  );
  const issues = useCallback((field: string): Problem[] => problemsFor(problems, node.id, field), [problems, node.id]);
  return { d: node.data as N['data'], set, issues };
}
