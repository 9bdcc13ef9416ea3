// The hangup node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const HangupNode = memo(function HangupNode({ id, data, selected }: FlowNodeProps<'hangup'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="hangup" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <div className="muted small">Ends the call</div>
    </NodeFrame>
  );
});
