// The shared frame of every flow node: header, body, one input on top, labelled outputs below.
import { memo, type ReactNode } from 'react';
import { Handle, Position } from '@xyflow/react';
import type { NodeType } from '../../compiler/flow/schema';
import { NODE_META } from './meta';
import { useNodeStatus } from '../hooks/useNodeStatus';
import { nodeWidth } from '../layout/sizes';

interface Props {
  id: string;
  type: NodeType;
  label?: string;
  selected: boolean;
  handles: string[];
  children?: ReactNode;
}

export const NodeFrame = memo(function NodeFrame({ id, type, label, selected, handles, children }: Props) {
  const meta = NODE_META[type];
  const status = useNodeStatus(id);
  const width = nodeWidth(handles.length);
  const classes = ['flow-node', `flow-node--${type}`];
  if (selected) classes.push('is-selected');
  if (status.active) classes.push('is-active');
  else if (status.visited) classes.push('is-visited');
  if (status.errors > 0) classes.push('has-errors');
  return (
    <div
      className={classes.join(' ')}
      style={{ width, ['--node-colour' as string]: meta.colour }}
      data-testid={`node-${id}`}
    >
      {type !== 'start' && (
        <Handle
          type="target"
          position={Position.Top}
          id="in"
          className="flow-handle flow-handle--in"
          data-testid={`handle-${id}-in`}
        />
      )}
      <div className="flow-node__header">
        <span className="flow-node__icon" aria-hidden>
          {meta.icon}
        </span>
        <span className="flow-node__title" title={label || meta.title}>
          {label || meta.title}
        </span>
        {status.breakpoint && (
          <span className="flow-node__breakpoint" title="Breakpoint" data-testid={`breakpoint-${id}`} />
        )}
        {status.errors > 0 && (
          <span className="flow-node__errors" title={`${status.errors} problem(s)`}>
            {status.errors}
          </span>
        )}
      </div>
      <div className="flow-node__kind">
        {meta.title} · <code>{id}</code>
      </div>
      {children && <div className="flow-node__body">{children}</div>}
      {handles.length > 0 && (
        <div className="flow-node__outputs">
          {handles.map((h) => (
            <span key={h} className="flow-node__output-label">
              {h}
            </span>
          ))}
        </div>
      )}
      {handles.map((h, i) => (
        <Handle
          key={h}
          type="source"
          position={Position.Bottom}
          id={h}
          className="flow-handle flow-handle--out"
          style={{ left: `${((i + 0.5) / handles.length) * 100}%` }}
          data-testid={`handle-${id}-${h}`}
          title={h}
        />
      ))}
    </div>
  );
});

/** Prompt names as small chips; "none" when empty. */
export function PromptChips({ prompts, empty = 'no prompts' }: { prompts: readonly string[]; empty?: string }) {
  if (prompts.length === 0) return <div className="muted small">{empty}</div>;
  return (
    <div className="chips">
      {prompts.map((p, i) => (
        <span key={`${p}-${i}`} className="chip" title={p}>
          ♪ {p}
        </span>
      ))}
    </div>
  );
}

export function Row({ k, v }: { k: string; v: ReactNode }) {
  return (
    <div className="kv">
      <span className="kv__k">{k}</span>
      <span className="kv__v">{v}</span>
    </div>
  );
}
