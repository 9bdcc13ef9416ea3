// The canvas: React Flow controlled by the document. Moves are written back (a drag = one undo step),
// connections become edges, palette items are dropped here.
// Large flows: only the nodes in view are rendered; zoomed far out they drop the details nobody can
// read at that size (styles.css, .is-far), and while the view moves it is one composited layer.
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import {
  Background, Controls, MiniMap, ReactFlow, getViewportForBounds, useReactFlow, useStore, useStoreApi,
  type Connection, type EdgeChange, type Node, type NodeChange, type OnSelectionChangeParams,
} from '@xyflow/react';
import { NODE_TYPES, type FlowDocument, type NodeType } from '../../compiler/flow/schema';
import { runAction } from '../actions';
import { useApp, useCall, useFlow } from '../hooks/useApp';
import { nodeTypes } from '../nodes/nodeTypes';
import { NODE_META } from '../nodes/meta';
import type { RfNode } from '../nodes/types';
import { pathEdges } from '../call/callStore';
import { toRfEdges, toRfNodes, type Measured } from './toReactFlow';
import { DEFAULT_SIZE } from '../layout/sizes';

export const DRAG_TYPE = 'application/ivr-node-type';

const MIN_ZOOM = 0.2;
const MAX_ZOOM = 2;
const FIT = { padding: 0.15, maxZoom: 1 };
/** Below this zoom node text is a few pixels tall: the canvas draws the node outlines only. */
export const FAR_ZOOM = 0.4;
const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

// Stable across renders: a new function would re-render every node of the minimap.
const miniMapColour = (n: Node) => (n.type === 'note' ? '#fde68a' : NODE_META[n.type as NodeType]?.colour ?? '#999');

/** The document's extent: every node and note, drawn or not (React Flow knows only the drawn ones). */
function docBounds(doc: FlowDocument, measured: Record<string, Measured>) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  const add = (id: string, p: { x: number; y: number }) => {
    const size = measured[id] ?? DEFAULT_SIZE;
    x0 = Math.min(x0, p.x); y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x + size.width); y1 = Math.max(y1, p.y + size.height);
  };
  for (const n of doc.nodes) add(n.id, n.position);
  for (const n of doc.notes) add(`note:${n.id}`, n.position);
  return Number.isFinite(x0) ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

export function FlowCanvas() {
  const app = useApp();
  const rf = useReactFlow();
  const rfStore = useStoreApi();
  const far = useStore(isFar);
  const host = useRef<HTMLDivElement>(null);
  const doc = useFlow((s) => s.doc);
  const selection = useFlow((s) => s.selection);
  const visited = useCall((s) => s.visited);
  const [measured, setMeasured] = useState<Record<string, Measured>>({});

  const taken = useMemo(() => pathEdges(visited, doc.edges), [visited, doc.edges]);
  const nodes = useMemo(() => toRfNodes(doc, selection, measured), [doc, selection, measured]);
  const edges = useMemo(() => toRfEdges(doc.edges, selection, taken), [doc.edges, selection, taken]);

  const measuredRef = useRef(measured);
  measuredRef.current = measured;
  const fitDoc = useCallback((instant: boolean) => {
    const bounds = docBounds(app.flow.getState().doc, measuredRef.current);
    const { width, height } = rfStore.getState();
    const box = host.current?.getBoundingClientRect();
    const w = width || box?.width || 0;
    const h = height || box?.height || 0;
    if (!bounds || !w || !h) return;
    const view = getViewportForBounds(bounds, w, h, MIN_ZOOM, FIT.maxZoom, FIT.padding);
    void rf.setViewport(view, instant ? undefined : { duration: 200 });
  }, [app, rf, rfStore]);

  // The canvas port: what actions (fit, centre, layout, click-to-add) need from the view.
  useEffect(() => {
    app.canvas = {
      fitView: (options) => fitDoc(options?.instant ?? false),
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
      // Measured sizes, or the estimate a node not drawn yet was given (React Flow keeps both).
      nodeSizes: () => {
        const sizes: Record<string, Measured> = {};
        for (const [id, n] of rfStore.getState().nodeLookup) {
          if (!id.startsWith('note:') && n.measured.width && n.measured.height) sizes[id] = { width: n.measured.width, height: n.measured.height };
        }
        return sizes;
      },
    };
  }, [app, rf, rfStore, fitDoc]);

  // While the view pans or zooms it is one composited layer, moved without repainting every node;
  // afterwards it is painted again at the new scale (a permanent layer would blur zoomed text).
  const onMoveStart = useCallback(() => host.current?.classList.add('is-moving'), []);
  const onMoveEnd = useCallback(() => host.current?.classList.remove('is-moving'), []);
  const onInit = useCallback(() => fitDoc(true), [fitDoc]);

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
    <div className="canvas-host" ref={host} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      <ReactFlow
        className={far ? 'is-far' : undefined}
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
        onInit={onInit}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        minZoom={MIN_ZOOM}
        maxZoom={MAX_ZOOM}
        proOptions={{ hideAttribution: true }}
        onlyRenderVisibleElements
      >
        <Background gap={20} size={1} color="#d4d8e0" />
        <Controls showInteractive={false} />
        <MiniMap pannable zoomable style={{ width: 160, height: 110 }} nodeColor={miniMapColour} />
      </ReactFlow>
    </div>
  );
}
