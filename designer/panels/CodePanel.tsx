// The generated program: CG/PL (with the node ↔ line source map) or the JS module.
import { Suspense, lazy, memo, useCallback, useMemo } from 'react';
import { useApp, useCall, useFlow } from '../hooks/useApp';
import { selectCgpl, selectCgplCheck, selectJs } from '../store/derived';
import { formatDiagnostic } from '../../compiler/diagnostics';
import { EMPTY_SELECTION } from '../store/docOps';

// CodeMirror is a large part of the page's script and nobody needs it to open a flow: it loads the
// first time a code tab is shown.
const CodeView = lazy(() => import('./CodeView').then((m) => ({ default: m.CodeView })));

const NONE: number[] = [];
const NO_DIAGNOSTICS: never[] = [];

export const CodePanel = memo(function CodePanel({ target }: { target: 'cgpl' | 'js' }) {
  const app = useApp();
  const doc = useFlow((s) => s.doc);
  const selected = useFlow((s) => s.selection.nodes);
  const pausedLine = useCall((s) => s.paused?.line ?? null);
  // Only the program on show is generated.
  const cg = target === 'cgpl' ? selectCgpl(doc) : null;
  const compiled = cg ?? selectJs(doc);
  const sourceMap = cg?.ok ? cg.value.sourceMap : null;
  const checked = cg?.ok ? selectCgplCheck(doc) : NO_DIAGNOSTICS;

  const marked = useMemo(() => {
    if (target !== 'cgpl' || !sourceMap) return NONE;
    const lines = selected.flatMap((id) => sourceMap.nodes[id] ?? []);
    return lines.length ? lines : NONE;
  }, [target, sourceMap, selected]);

  const onLineClick = useCallback(
    (line: number) => {
      const id = sourceMap?.lines[line - 1];
      if (!id) return;
      app.flow.getState().select({ ...EMPTY_SELECTION, nodes: [id] });
      app.canvas?.centreOn(id);
    },
    [app, sourceMap],
  );

  if (!compiled.ok) return <div className="empty-state warn">{compiled.error}</div>;
  return (
    <Suspense fallback={<div className="empty-state">Loading the editor…</div>}>
      {checked.length > 0 && (
        <ul className="problem-list" data-testid="code-diagnostics">
          {checked.map((d) => (
            <li key={`${d.line}:${d.column}:${d.code}`} className={`problem sev-${d.severity}`}>
              <span className="problem__text">{formatDiagnostic(d)}</span>
            </li>
          ))}
        </ul>
      )}
      <CodeView
        text={compiled.value.text}
        language={target}
        marked={marked}
        paused={target === 'cgpl' ? pausedLine : null}
        onLineClick={target === 'cgpl' ? onLineClick : undefined}
        testId={`code-${target}`}
      />
    </Suspense>
  );
});
