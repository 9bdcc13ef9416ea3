// The CG/PL code node and the module call node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const CodeNode = memo(function CodeNode({ id, data, selected }: FlowNodeProps<'code'>) {
  const node = data.node;
  const lines = node.data.code.split('\n');
  return (
    <NodeFrame id={id} type="code" label={node.data.label} selected={!!selected} handles={outputHandles(node)}>
      <pre className="mono small code-node">
        {lines.slice(0, 4).join('\n')}
        {lines.length > 4 ? `\n… ${lines.length - 4} more line(s)` : ''}
      </pre>
    </NodeFrame>
  );
});

export const ModuleCallNode = memo(function ModuleCallNode({ id, data, selected }: FlowNodeProps<'moduleCall'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="moduleCall" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      <div className="mono small">
        {d.result ? `${d.result} = ` : ''}
        {d.module || '?'}::{d.routine || '?'}({d.args.length})
      </div>
    </NodeFrame>
  );
});
