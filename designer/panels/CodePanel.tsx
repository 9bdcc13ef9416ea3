// The generated program: CG/PL (with the node ↔ line source map) or the JS module.
import { memo, useCallback, useMemo } from 'react';
import { useApp, useCall, useFlow } from '../hooks/useApp';
import { selectCgpl, selectJs } from '../store/derived';
import { EMPTY_SELECTION } from '../store/docOps';
import { CodeView } from './CodeView';

const NONE: number[] = [];

export const CodePanel = memo(function CodePanel({ target }: { target: 'cgpl' | 'js' }) {
  const app = useApp();
  const doc = useFlow((s) => s.doc);
  const selected = useFlow((s) => s.selection.nodes);
  const pausedLine = useCall((s) => s.paused?.line ?? null);
  const cg = selectCgpl(doc);
  const js = selectJs(doc);
  const compiled = target === 'cgpl' ? cg : js;
  const sourceMap = cg.ok ? cg.value.sourceMap : null;

  const marked = useMemo(() => {
    if (target !== 'cgpl' || !sourceMap) return NONE;
    const lines = selected.flatMap((id) => sourceMap.nodes[id] ?? []);
    if (pausedLine !== null) lines.push(pausedLine);
    return lines.length ? lines : NONE;
  }, [target, sourceMap, selected, pausedLine]);

  const onLineClick = useCallback((line: number) => {
    const id = sourceMap?.lines[line - 1];
    if (!id) return;
    app.flow.getState().select({ ...EMPTY_SELECTION, nodes: [id] });
    app.canvas?.centreOn(id);
  }, [app, sourceMap]);

  if (!compiled.ok) return <div className="empty-state warn">{compiled.error}</div>;
  return (
    <CodeView
      text={compiled.value.text}
      language={target}
      marked={marked}
      onLineClick={target === 'cgpl' ? onLineClick : undefined}
      testId={`code-${target}`}
    />
  );
});
