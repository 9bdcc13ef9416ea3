// Find nodes by label, id, prompt or variable; matches are selected on the canvas.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { FlowNode } from '../../compiler/flow/schema';
import { useApp, useFlow, useUi } from '../hooks/useApp';
import { NODE_META } from '../nodes/meta';
import { EMPTY_SELECTION } from '../store/docOps';

/** Every searchable text of a node, lower-cased. */
export function nodeText(n: FlowNode): string {
  const values: string[] = [n.id, NODE_META[n.type].title];
  const walk = (v: unknown) => {
    if (typeof v === 'string') values.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(n.data);
  return values.join('\n').toLowerCase();
}

export const SearchPanel = memo(function SearchPanel() {
  const app = useApp();
  const nodes = useFlow((s) => s.doc.nodes);
  const request = useUi((s) => s.findRequest);
  const [query, setQuery] = useState('');
  const input = useRef<HTMLInputElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: each search request focuses the box again
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, [request]);

  const q = query.trim().toLowerCase();
  const matches = useMemo(() => (q ? nodes.filter((n) => nodeText(n).includes(q)) : []), [nodes, q]);

  useEffect(() => {
    if (q) app.flow.getState().select({ ...EMPTY_SELECTION, nodes: matches.map((n) => n.id) });
  }, [app, q, matches]);

  return (
    <div className="search" data-testid="search">
      <input
        ref={input}
        type="search"
        value={query}
        placeholder="Label, prompt or variable…"
        onChange={(e) => setQuery(e.target.value)}
        data-testid="search-input"
      />
      {q && (
        <div className="muted small">
          {matches.length} match{matches.length === 1 ? '' : 'es'}
        </div>
      )}
      <ul className="file-list">
        {matches.map((n) => (
          <li key={n.id}>
            <button
              type="button"
              className="file-item"
              onClick={() => {
                app.flow.getState().select({ ...EMPTY_SELECTION, nodes: [n.id] });
                app.canvas?.centreOn(n.id);
              }}
            >
              <span className="file-item__name">
                {NODE_META[n.type].icon} {n.data.label || NODE_META[n.type].title}
              </span>
              <span className="file-item__path">{n.id}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
});
