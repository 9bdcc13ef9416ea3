// The condition node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const ConditionNode = memo(function ConditionNode({ id, data, selected }: FlowNodeProps<'condition'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="condition" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <div className="mono small">
        {d.variable || '?'} {d.operator === 'empty' ? 'is empty' : `${d.operator} "${d.value}"`}
      </div>
    </NodeFrame>
  );
});
