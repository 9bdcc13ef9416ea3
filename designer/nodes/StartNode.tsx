// The start node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const StartNode = memo(function StartNode({ id, data, selected }: FlowNodeProps<'start'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="start" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <div className="muted small">The call is answered here</div>
    </NodeFrame>
  );
});
