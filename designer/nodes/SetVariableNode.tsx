// The setVariable node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const SetVariableNode = memo(function SetVariableNode({ id, data, selected }: FlowNodeProps<'setVariable'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="setVariable" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <div className="mono small">
        {d.variable || '?'} = &quot;{d.value}&quot;
      </div>
    </NodeFrame>
  );
});
