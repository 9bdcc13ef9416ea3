// The canvas: React Flow controlled by the document. Moves are written back (a drag = one undo step),
// connections become edges, palette items are dropped here.
import { useCallback, useEffect, useMemo, useState, type DragEvent } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, useReactFlow,
  type Connection, type EdgeChange, type NodeChange, type OnSelectionChangeParams,
} from '@xyflow/react';
import { NODE_TYPES, type NodeType } from '../../compiler/flow/schema';
import { runAction } from '../actions';
import { useApp, useCall, useFlow } from '../hooks/useApp';
import { nodeTypes } from '../nodes/nodeTypes';
import { NODE_META } from '../nodes/meta';
import type { RfNode } from '../nodes/types';
import { pathEdges } from '../call/callStore';
import { toRfEdges, toRfNodes, type Measured } from './toReactFlow';
import { DEFAULT_SIZE } from '../layout/sizes';

export const DRAG_TYPE = 'application/ivr-node-type';

export function FlowCanvas() {
  const app = useApp();
  const rf = useReactFlow();
  const doc = useFlow((s) => s.doc);
  const selection = useFlow((s) => s.selection);
  const visited = useCall((s) => s.visited);
  const [measured, setMeasured] = useState<Record<string, Measured>>({});

  const taken = useMemo(() => pathEdges(visited, doc.edges), [visited, doc.edges]);
  const nodes = useMemo(() => toRfNodes(doc, selection, measured), [doc, selection, measured]);
  const edges = useMemo(() => toRfEdges(doc.edges, selection, taken), [doc.edges, selection, taken]);

  // The canvas port: what actions (fit, centre, layout, click-to-add) need from the view.
  useEffect(() => {
    app.canvas = {
      fitView: () => void rf.fitView({ padding: 0.15, maxZoom: 1, duration: 200 }),
      centreOn: (id) => {
        const n = rf.getNode(id);
        if (!n) return;
        const w = n.measured?.width ?? DEFAULT_SIZE.width;
        const h = n.measured?.height ?? DEFAULT_SIZE.height;
        void rf.setCenter(n.position.x + w / 2, n.position.y + h / 2, { zoom: Math.max(rf.getZoom(), 0.9), duration: 250 });
      },
      viewportCentre: () => {
        const el = document.querySelector('.canvas-host')?.getBoundingClientRect();
        if (!el) return { x: 250, y: 200 };
        return rf.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 });
      },
      nodeSizes: () => Object.fromEntries(Object.entries(measured).filter(([k]) => !k.startsWith('note:'))),
    };
  }, [app, rf, measured]);

  const onNodesChange = useCallback((changes: NodeChange<RfNode>[]) => {
    const flow = app.flow.getState();
    const moved: Record<string, { x: number; y: number }> = {};
    const sizes: Record<string, Measured> = {};
    let selectionChanged = false;
    const sel = { nodes: new Set(flow.selection.nodes), notes: new Set(flow.selection.notes) };
    for (const c of changes) {
      if (c.type === 'position' && c.position && c.dragging) moved[c.id] = c.position;
      else if (c.type === 'dimensions' && c.dimensions) sizes[c.id] = c.dimensions;
      else if (c.type === 'select') {
        selectionChanged = true;
        const isNote = c.id.startsWith('note:');
        const set = isNote ? sel.notes : sel.nodes;
        const id = isNote ? c.id.slice(5) : c.id;
        if (c.selected) set.add(id);
        else set.delete(id);
      }
    }
    if (Object.keys(moved).length > 0) {
      flow.beginDrag();
      flow.dragTo(moved);
    }
    if (Object.keys(sizes).length > 0) setMeasured((m) => ({ ...m, ...sizes }));
    if (selectionChanged) flow.select({ ...flow.selection, nodes: [...sel.nodes], notes: [...sel.notes] });
  }, [app]);

  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const flow = app.flow.getState();
    const edges = new Set(flow.selection.edges);
    let changed = false;
    for (const c of changes) {
      if (c.type !== 'select') continue;
      changed = true;
      if (c.selected) edges.add(c.id);
      else edges.delete(c.id);
    }
    if (changed) flow.select({ ...flow.selection, edges: [...edges] });
  }, [app]);

  const onDragStop = useCallback((_: unknown, __: unknown, dragged: RfNode[]) => {
    app.flow.getState().endDrag(Object.fromEntries(dragged.map((n) => [n.id, n.position])));
  }, [app]);

  const onConnect = useCallback((c: Connection) => {
    if (c.sourceHandle) void runAction('connect', { source: c.source, sourceHandle: c.sourceHandle, target: c.target });
  }, []);

  const isValidConnection = useCallback((c: Connection | { target: string }) => {
    const target = app.flow.getState().doc.nodes.find((n) => n.id === c.target);
    return !!target && target.type !== 'start';
  }, [app]);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback((e: DragEvent) => {
    const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
    if (!NODE_TYPES.includes(type)) return;
    e.preventDefault();
    const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    void runAction('addNode', { type, position: { x: p.x - 110, y: p.y - 20 } });
  }, [rf]);

  const onSelectionChange = useCallback((_: OnSelectionChangeParams) => {}, []);

  return (
    <div className="canvas-host" onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onNodeDragStop={onDragStop}
        onSelectionDragStop={(e, n) => onDragStop(e, null, n as RfNode[])}
        onConnect={onConnect}
        onSelectionChange={onSelectionChange}
        isValidConnection={isValidConnection}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={['Shift', 'Meta', 'Control']}
        fitView
        fitViewOptions={{ padding: 0.15, maxZoom: 1 }}
        minZoom={0.2}
        maxZoom={2}
        proOptions={{ hideAttribution: true }}
        onlyRenderVisibleElements
      >
        <Background gap={20} size={1} color="#d4d8e0" />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable style={{ width: 160, height: 110 }} nodeColor={(n) => (n.type === 'note' ? '#fde68a' : NODE_META[n.type as NodeType]?.colour ?? '#999')} />
      </ReactFlow>
    </div>
  );
}
