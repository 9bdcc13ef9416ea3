// The menu node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame, PromptChips, Row } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const MenuNode = memo(function MenuNode({ id, data, selected }: FlowNodeProps<'menu'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="menu" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <PromptChips prompts={d.prompts} />
      {d.options.length === 0 ? (
        <div className="warn small">no options yet</div>
      ) : (
        <div className="menu-options">
          {d.options.map((o, i) => (
            <div key={`${o.digit}-${i}`} className="menu-option">
              <kbd>{o.digit}</kbd> {o.label ?? ''}
            </div>
          ))}
        </div>
      )}
      <Row k="timeout" v={`${d.timeout} s · ${d.retries} tries`} />
    </NodeFrame>
  );
});
