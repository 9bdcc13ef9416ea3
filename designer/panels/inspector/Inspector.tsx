// The right-hand form: the selected node, a sticky note, several items, or the flow itself.
import { memo } from 'react';
import { runAction } from '../../actions';
import { useApp, useCall, useFlow, useProblems } from '../../hooks/useApp';
import { NODE_META } from '../../nodes/meta';
import { disconnect, updateNote } from '../../store/docOps';
import { outputHandles } from '../../../compiler/flow/model';
import type { FlowNode } from '../../../compiler/flow/schema';
import { FieldProblems } from './fields';
import { useNodeNames, type NodeName } from '../../hooks/useNodeNames';
import { FlowForm } from './FlowForm';
import { NodeForm } from './NodeForm';

export const Inspector = memo(function Inspector() {
  const sel = useFlow((s) => s.selection);
  const count = sel.nodes.length + sel.notes.length + sel.edges.length;
  if (count === 0) return <FlowForm />;
  if (sel.nodes.length === 1 && count === 1) return <NodeInspector id={sel.nodes[0]!} />;
  if (sel.notes.length === 1 && count === 1) return <NoteInspector id={sel.notes[0]!} />;
  return (
    <div className="form">
      <h3 className="panel-title">{count} selected</h3>
      <p className="muted small">
        {sel.nodes.length} node(s), {sel.edges.length} connection(s), {sel.notes.length} note(s)
      </p>
      <div className="button-row">
        <button type="button" className="btn" onClick={() => void runAction('duplicate')}>
          Duplicate
        </button>
        <button type="button" className="btn btn--danger" onClick={() => void runAction('deleteSelection')}>
          Delete
        </button>
      </div>
    </div>
  );
});

function NodeInspector({ id }: { id: string }) {
  const node = useFlow((s) => s.doc.nodes.find((n) => n.id === id));
  const problems = useProblems((s) => s.problems);
  const breakpoint = useCall((s) => s.breakpoints.includes(id));
  if (!node) return <FlowForm />;
  const meta = NODE_META[node.type];
  // Problems not tied to a form field (graph and id problems) are listed at the top.
  const general = problems.filter(
    (p) =>
      p.nodeId === id && (p.field === undefined || p.edgeId !== undefined || p.field === 'id' || p.field === 'type'),
  );
  return (
    <div className="form" data-testid="inspector">
      <h3 className="panel-title" style={{ borderColor: meta.colour }}>
        <span>
          {meta.icon} {meta.title}
        </span>{' '}
        <code className="muted">{node.id}</code>
      </h3>
      <FieldProblems problems={general} />
      <NodeForm key={node.id} node={node} />
      <NextSteps node={node} />
      <div className="button-row">
        <button
          type="button"
          className="btn btn--small"
          onClick={() => void runAction('toggleBreakpoint', { nodeId: id })}
          data-testid="toggle-breakpoint"
        >
          {breakpoint ? '● Remove breakpoint' : '○ Breakpoint'}
        </button>
        <button type="button" className="btn btn--small btn--danger" onClick={() => void runAction('deleteSelection')}>
          Delete
        </button>
      </div>
    </div>
  );
}

/**
 * "Then go to…" for each output: the keyboard's (and a screen reader's) way to connect nodes, and a
 * plain list of where each branch leads.
 */
function NextSteps({ node }: { node: FlowNode }) {
  const app = useApp();
  const names = useNodeNames();
  // Where this node's outputs lead, as one string: a drag elsewhere does not re-render the lists.
  const leads = useFlow((s) =>
    s.doc.edges
      .filter((e) => e.source === node.id)
      .map((e) => `${e.sourceHandle}${e.target}`)
      .join(''),
  );
  const targetOf = new Map(leads ? leads.split('').map((r) => r.split('') as [string, string]) : []);
  const handles = outputHandles(node);
  if (handles.length === 0) return null;
  const targets = names.filter((n) => n.type !== 'start');
  const set = (handle: string, target: string) => {
    if (target === '') app.flow.getState().change((d) => disconnect(d, node.id, handle));
    else void runAction('connect', { source: node.id, sourceHandle: handle, target });
  };
  return (
    <fieldset className="next-steps" data-testid="next-steps">
      <legend className="field__label">Then go to</legend>
      {handles.map((h) => {
        return (
          <label key={h} className="next-step">
            <span className="next-step__handle">{outputLabel(node, h)}</span>
            <select
              value={targetOf.get(h) ?? ''}
              onChange={(e) => set(h, e.target.value)}
              aria-label={`After “${outputLabel(node, h)}”, go to`}
              data-testid={`next-${h}`}
            >
              <option value="">— nowhere (not connected) —</option>
              {targets.map((t) => (
                <option key={t.id} value={t.id}>
                  {nameOf(t)}
                </option>
              ))}
            </select>
          </label>
        );
      })}
    </fieldset>
  );
}

/** How a node is named to people: its label and kind, the id for telling twins apart. */
export function nodeName(n: FlowNode): string {
  return nameOf({ id: n.id, type: n.type, label: (n.data as { label?: string }).label?.trim() ?? '' });
}

function nameOf(n: NodeName): string {
  const kind = NODE_META[n.type].title;
  return n.label ? `${n.label} (${kind}, ${n.id})` : `${kind} ${n.id}`;
}

function outputLabel(node: FlowNode, handle: string): string {
  if (node.type === 'menu' && /^[0-9*#]$/.test(handle)) return `key ${handle}`;
  return handle;
}

function NoteInspector({ id }: { id: string }) {
  const app = useApp();
  const note = useFlow((s) => s.doc.notes.find((n) => n.id === id));
  if (!note) return <FlowForm />;
  return (
    <div className="form">
      <h3 className="panel-title">Sticky note</h3>
      <textarea
        rows={8}
        value={note.text}
        onChange={(e) => app.flow.getState().change((d) => updateNote(d, id, e.target.value), `note.${id}`)}
      />
    </div>
  );
}
