// The play node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame, PromptChips } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const PlayNode = memo(function PlayNode({ id, data, selected }: FlowNodeProps<'play'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="play" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <PromptChips prompts={d.prompts} />
      {!d.interruptible && <div className="muted small">keys do not interrupt</div>}
    </NodeFrame>
  );
});
