// The collectDigits node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame, PromptChips, Row } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const CollectDigitsNode = memo(function CollectDigitsNode({
  id,
  data,
  selected,
}: FlowNodeProps<'collectDigits'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="collectDigits" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <PromptChips prompts={d.prompts} empty="no announcement" />
      <Row k="into" v={<code>{d.variable}</code>} />
      <Row
        k="ends with"
        v={
          <>
            {d.endKey ? <kbd>{d.endKey}</kbd> : '—'}
            {d.maxDigits > 0 ? ` or ${d.maxDigits} digits` : ''}
            {d.clearKey ? (
              <>
                {' '}
                · clear <kbd>{d.clearKey}</kbd>
              </>
            ) : null}
          </>
        }
      />
    </NodeFrame>
  );
});
