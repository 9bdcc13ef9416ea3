// The recordVoicemail node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame, PromptChips, Row } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const RecordVoicemailNode = memo(function RecordVoicemailNode({
  id,
  data,
  selected,
}: FlowNodeProps<'recordVoicemail'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="recordVoicemail" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <PromptChips prompts={d.prompts} empty="no announcement" />
      <Row k="into" v={<code>{d.variable}</code>} />
      <Row k="up to" v={`${d.maxSeconds} s`} />
    </NodeFrame>
  );
});
