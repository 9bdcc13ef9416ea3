// The sendEmail node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame, Row } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const SendEmailNode = memo(function SendEmailNode({ id, data, selected }: FlowNodeProps<'sendEmail'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="sendEmail" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <Row k="subject" v={d.subject || <span className="warn">no subject</span>} />
      <Row k="to" v={d.to || 'the account (MyEmail)'} />
      {d.attachRecording && <Row k="attach" v={<code>{d.attachRecording}</code>} />}
    </NodeFrame>
  );
});
