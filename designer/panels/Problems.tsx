// Live problems from validateFlow; a click selects the node and brings it into view.
import { memo, useState } from 'react';
import { formatProblem, type Problem } from '../../compiler/flow/problems';
import { useApp, useProblems } from '../hooks/useApp';
import { EMPTY_SELECTION } from '../store/docOps';

/** A big flow can have thousands of warnings: the list shows this many until asked for all. */
export const PROBLEMS_SHOWN = 100;

export const Problems = memo(function Problems() {
  const app = useApp();
  const problems = useProblems((s) => s.problems);
  const pending = useProblems((s) => s.pending);
  const [all, setAll] = useState(false);
  const show = (p: Problem) => {
    if (p.nodeId) {
      app.flow.getState().select({ ...EMPTY_SELECTION, nodes: [p.nodeId] });
      app.canvas?.centreOn(p.nodeId);
      app.ui.getState().set({ rightTab: 'inspector' });
    } else if (p.edgeId) {
      app.flow.getState().select({ ...EMPTY_SELECTION, edges: [p.edgeId] });
    }
  };
  if (pending)
    return (
      <div className="empty-state" data-testid="problems-pending">
        Checking the flow…
      </div>
    );
  if (problems.length === 0)
    return (
      <div className="empty-state" data-testid="problems">
        ✓ No problems: the flow compiles.
      </div>
    );
  return (
    <ul className="problem-list" data-testid="problems">
      {(all ? problems : problems.slice(0, PROBLEMS_SHOWN)).map((p, i) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: TODO(designer) keyboard access to a problem's node
        <li key={i} className={`problem sev-${p.severity}`} onClick={() => show(p)} data-testid="problem">
          <span className="problem__sev">{p.severity === 'error' ? '●' : '▲'}</span>
          <span className="problem__text">{formatProblem({ ...p, severity: p.severity })}</span>
        </li>
      ))}
      {!all && problems.length > PROBLEMS_SHOWN && (
        <li className="problem problem--more">
          <button type="button" className="btn" onClick={() => setAll(true)} data-testid="problems-all">
            Show all {problems.length} problems ({problems.length - PROBLEMS_SHOWN} more)
          </button>
        </li>
      )}
    </ul>
  );
});
