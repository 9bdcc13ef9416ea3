// Live problems from validateFlow, in plain words (the node by its label) beside the line the CLI
// prints with its code; a click or Enter selects the node and brings it into view.
import { memo, useMemo, useState } from 'react';
import { formatProblem, type Problem } from '../../compiler/flow/problems';
import { useApp, useFlow, useProblems } from '../hooks/useApp';
import { EMPTY_SELECTION } from '../store/docOps';
import { describeProblem } from './problemText';
import { useNodeNames } from '../hooks/useNodeNames';

/** A big flow can have thousands of warnings: the list shows this many until asked for all. */
export const PROBLEMS_SHOWN = 100;

export const Problems = memo(function Problems() {
  const app = useApp();
  const problems = useProblems((s) => s.problems);
  const pending = useProblems((s) => s.pending);
  const list = useNodeNames();
  const names = useMemo(() => new Map(list.map((n) => [n.id, n])), [list]);
  const edges = useFlow((s) => s.doc.edges);
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
    <ul className="problem-list" data-testid="problems" aria-label="Problems">
      {(all ? problems : problems.slice(0, PROBLEMS_SHOWN)).map((p, i) => {
        const { where, text } = describeProblem(p, names, edges);
        return (
          <li key={i} className={`problem sev-${p.severity}`} data-testid="problem" data-node={p.nodeId}>
            <button type="button" className="problem__button" onClick={() => show(p)}>
              <span className="problem__sev" aria-hidden="true">
                {p.severity === 'error' ? '●' : '▲'}
              </span>
              <span className="sr-only">{p.severity === 'error' ? 'Error:' : 'Warning:'}</span>
              {where && <span className="problem__where">{where}</span>}
              <span className="problem__text">{text}</span>
              {/* The line `ivr-studio check` prints, with its code (docs/cgpl-front-end.md lists them). */}
              <code className="problem__cli">{formatProblem(p)}</code>
            </button>
          </li>
        );
      })}
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
