// The transfer node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame, Row } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const TransferNode = memo(function TransferNode({ id, data, selected }: FlowNodeProps<'transfer'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="transfer" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <Row k="to" v={d.target || <span className="warn">no target</span>} />
    </NodeFrame>
  );
});
