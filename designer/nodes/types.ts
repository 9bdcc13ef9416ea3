// The React Flow node that carries one flow node (data.node) or a sticky note (data.text).
import type { Node, NodeProps } from '@xyflow/react';
import type { FlowNode, NodeOf, NodeType } from '../../compiler/flow/schema';

export type FlowRfNode = Node<{ node: FlowNode }, NodeType>;
export type NoteRfNode = Node<{ noteId: string; text: string }, 'note'>;
export type RfNode = FlowRfNode | NoteRfNode;

/** Props of the component for one node type. */
export type FlowNodeProps<T extends NodeType> = NodeProps<Node<{ node: NodeOf<T>; [key: string]: unknown }, T>>;
