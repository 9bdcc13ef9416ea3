// Live problems from validateFlow; a click selects the node and brings it into view.
import { memo } from 'react';
import { formatProblem, type Problem } from '../../compiler/flow/problems';
import { useApp, useFlow } from '../hooks/useApp';
import { selectProblems } from '../store/derived';
import { EMPTY_SELECTION } from '../store/docOps';

export const Problems = memo(function Problems() {
  const app = useApp();
  const problems = useFlow((s) => selectProblems(s.doc));
  const show = (p: Problem) => {
    if (p.nodeId) {
      app.flow.getState().select({ ...EMPTY_SELECTION, nodes: [p.nodeId] });
      app.canvas?.centreOn(p.nodeId);
      app.ui.getState().set({ rightTab: 'inspector' });
    } else if (p.edgeId) {
      app.flow.getState().select({ ...EMPTY_SELECTION, edges: [p.edgeId] });
    }
  };
  if (problems.length === 0) return <div className="empty-state" data-testid="problems">✓ No problems: the flow compiles.</div>;
  return (
    <ul className="problem-list" data-testid="problems">
      {problems.map((p, i) => (
        <li key={i} className={`problem sev-${p.severity}`} onClick={() => show(p)} data-testid="problem">
          <span className="problem__sev">{p.severity === 'error' ? '●' : '▲'}</span>
          <span className="problem__text">{formatProblem({ ...p, severity: p.severity })}</span>
        </li>
      ))}
    </ul>
  );
});
