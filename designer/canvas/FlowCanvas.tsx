// The canvas: React Flow controlled by the document. Moves are written back (a drag = one undo step),
// connections become edges, palette items are dropped here.
// Large flows: only the nodes in view are rendered; zoomed far out (below FAR_ZOOM) React Flow draws
// nothing and the overview (OverviewLayer) draws the whole document as a few SVG paths, and while the
// view moves it is one composited layer. The minimap is drawn from the document too.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { createStore } from 'zustand/vanilla';
import { useStore as useZustand } from 'zustand';
import {
  Background,
  ControlButton,
  Controls,
  ReactFlow,
  getViewportForBounds,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type NodeChange,
  type OnSelectionChangeParams,
  type Viewport,
} from '@xyflow/react';
import { NODE_TYPES } from '../../compiler/flow/model';
import type { NodeType } from '../../compiler/flow/schema';
import { runAction } from '../actions';
import { useApp, useCall, useFlow } from '../hooks/useApp';
import { nodeTypes } from '../nodes/nodeTypes';
import type { RfNode } from '../nodes/types';
import { pathEdges } from '../call/callStore';
import { movePositions } from '../store/docOps';
import { useNodeNames } from '../hooks/useNodeNames';
import { toRfEdges, toRfNodes, type Measured } from './toReactFlow';
import { OverviewLayer } from './OverviewLayer';
import { DocMiniMap } from './DocMiniMap';
import { overviewGeometry, type Bounds, type Geometry } from './overview';
import { DEFAULT_PREFS, type Theme } from '../store/prefs';

export const DRAG_TYPE = 'application/ivr-node-type';

/** Far enough for Fit to show a 1,000-node flow whole: zoomed that far out the overview draws it. */
const MIN_ZOOM = 0.05;
const MAX_ZOOM = 2;
const FIT = { padding: 0.15, maxZoom: 1 };
/** Below this zoom node text is a few pixels tall: the canvas draws the node outlines only. */
export const FAR_ZOOM = 0.5;
const isFar = (s: { transform: [number, number, number] }) => s.transform[2] < FAR_ZOOM;

const NO_NODES: RfNode[] = [];
const NO_PREFS = createStore(() => ({ ...DEFAULT_PREFS, set: () => {} }));
/** Below this canvas width the minimap would cover too much of the flow. */
const MINIMAP_MIN_WIDTH = 600;
const NO_EDGES: Edge[] = [];

/** The view that shows the whole document in a canvas of this size (zoom 1 at the origin when empty). */
function fittedView(bounds: Bounds | null, width: number, height: number): Viewport {
  if (!bounds || width <= 0 || height <= 0) return { x: 0, y: 0, zoom: 1 };
  return getViewportForBounds(bounds, width, height, MIN_ZOOM, FIT.maxZoom, FIT.padding);
}

/** Node text is 11–13 px: at this zoom nothing on a node is smaller than 11 px. */
export const READABLE_ZOOM = 1;
const TOP_MARGIN = 48;

/**
 * What a flow opens with: the whole flow when it fits at a readable zoom, else 100 % with the start
 * node at the top middle (Fit shows the whole flow, smaller, when asked).
 */
function openingView(geometry: Geometry, width: number, height: number): Viewport {
  const fit = fittedView(geometry.bounds, width, height);
  if (!geometry.bounds || fit.zoom >= READABLE_ZOOM - 1e-6) return fit;
  const start = geometry.boxes.find((b) => b.kind === 'node' && b.type === 'start') ?? geometry.boxes[0];
  if (!start) return fit;
  return {
    zoom: READABLE_ZOOM,
    x: width / 2 - (start.x + start.width / 2) * READABLE_ZOOM,
    y: TOP_MARGIN - start.y * READABLE_ZOOM,
  };
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
  const [initialView, setInitialView] = useState<Viewport | null>(null);
  const theme: Theme = useZustand(app.prefs ?? NO_PREFS, (s) => s.theme);
  const colorMode = theme === 'system' ? 'system' : theme;
  const minimapPref = useZustand(app.prefs ?? NO_PREFS, (s) => s.minimap);
  const canvasWidth = useStore((s) => s.width);
  // Auto: only zoomed far out (the overview), where it helps find the way and no node text is under
  // it; at a working zoom it would sit on nodes. ▦ shows or hides it for good.
  const showMap = minimapPref ?? (far && canvasWidth >= MINIMAP_MIN_WIDTH);

  const taken = useMemo(() => pathEdges(visited, doc.edges), [visited, doc.edges]);
  // Names change when labels do, not on every drag frame.
  const nodeNames = useNodeNames();
  const edgeNames = useMemo(() => new Map(nodeNames.map((n) => [n.id, n.label || n.id])), [nodeNames]);
  // Zoomed far out React Flow holds nothing: no lookups to build, no components to render.
  const hidden = far || !initialView;
  const nodes = useMemo(
    () => (hidden ? NO_NODES : toRfNodes(doc, selection, measured)),
    [hidden, doc, selection, measured],
  );
  const edges = useMemo(
    () => (hidden ? NO_EDGES : toRfEdges(doc.edges, selection, taken, edgeNames)),
    [hidden, doc.edges, edgeNames, selection, taken],
  );
  const geometry = useMemo(() => overviewGeometry(doc, measured), [doc, measured]);

  const measuredRef = useRef(measured);
  measuredRef.current = measured;
  // Actions ask right after changing the document (open, then fit), before this renders again.
  const drawn = useRef({ doc, geometry });
  drawn.current = { doc, geometry };
  const currentGeometry = useCallback((): Geometry => {
    const now = app.flow.getState().doc;
    return drawn.current.doc === now ? drawn.current.geometry : overviewGeometry(now, measuredRef.current);
  }, [app]);
  const fitDoc = useCallback(
    (instant: boolean, readable = false) => {
      const { width, height } = rfStore.getState();
      const box = host.current?.getBoundingClientRect();
      const w = width || box?.width || 0;
      const h = height || box?.height || 0;
      if (!w || !h) return;
      const view = readable ? openingView(currentGeometry(), w, h) : fittedView(currentGeometry().bounds, w, h);
      void rf.setViewport(view, instant ? undefined : { duration: 200 });
    },
    [rf, rfStore, currentGeometry],
  );

  // React Flow starts at the fitted view of the document: its first frame is the flow fitted (for a big
  // flow, the overview), not a frame at zoom 1 that builds and draws hundreds of nodes for nothing. So
  // the canvas is measured first (the page is laid out by now) and React Flow mounted after, in the same
  // frame: this layout effect's state change renders again before the page is painted.
  useLayoutEffect(() => {
    const box = host.current?.getBoundingClientRect();
    const view = openingView(currentGeometry(), box?.width ?? 0, box?.height ?? 0);
    rfStore.setState({ transform: [view.x, view.y, view.zoom] });
    setInitialView(view);
  }, [rfStore, currentGeometry]);

  // The canvas port: what actions (fit, centre, layout, click-to-add) need from the view.
  useEffect(() => {
    app.canvas = {
      fitView: (options) => fitDoc(options?.instant ?? false, options?.readable ?? false),
      // From the document's boxes: zoomed far out React Flow does not hold the node.
      centreOn: (id) => {
        const { byId } = currentGeometry();
        const b = byId.get(id) ?? byId.get(`note:${id}`);
        if (b)
          void rf.setCenter(b.x + b.width / 2, b.y + b.height / 2, {
            zoom: Math.max(rf.getZoom(), 0.9),
            duration: 250,
          });
      },
      viewportCentre: () => {
        const el = document.querySelector('.canvas-host')?.getBoundingClientRect();
        if (!el) return { x: 250, y: 200 };
        return rf.screenToFlowPosition({ x: el.left + el.width / 2, y: el.top + el.height / 2 });
      },
      zoomTo: (zoom) => void rf.zoomTo(Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, zoom)), { duration: 150 }),
      getZoom: () => rf.getZoom(),
      // The size React Flow measured when a node was last drawn, else the estimate for its type.
      nodeSizes: () => {
        const sizes: Record<string, Measured> = {};
        for (const b of currentGeometry().boxes)
          if (b.kind === 'node') sizes[b.id] = { width: b.width, height: b.height };
        return sizes;
      },
    };
  }, [app, rf, fitDoc, currentGeometry]);

  // While the view pans or zooms it is one composited layer, moved without repainting every node;
  // afterwards it is painted again at the new scale (a permanent layer would blur zoomed text).
  const onMoveStart = useCallback(() => host.current?.classList.add('is-moving'), []);
  const onMoveEnd = useCallback(() => host.current?.classList.remove('is-moving'), []);
  const onInit = useCallback(() => fitDoc(true, true), [fitDoc]);

  const onNodesChange = useCallback(
    (changes: NodeChange<RfNode>[]) => {
      const flow = app.flow.getState();
      const moved: Record<string, { x: number; y: number }> = {};
      const nudged: Record<string, { x: number; y: number }> = {};
      const sizes: Record<string, Measured> = {};
      let selectionChanged = false;
      const sel = { nodes: new Set(flow.selection.nodes), notes: new Set(flow.selection.notes) };
      for (const c of changes) {
        if (c.type === 'position' && c.position && c.dragging) moved[c.id] = c.position;
        // Arrow keys on a selected node (React Flow moves it 5 px, 20 with Shift); a drag's last
        // change has the positions the document already holds and changes nothing.
        else if (c.type === 'position' && c.position && !c.dragging) nudged[c.id] = c.position;
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
      if (Object.keys(nudged).length > 0 && !flow.dragging()) {
        const doc = flow.doc;
        const differs = Object.entries(nudged).some(([id, p]) => {
          const n = id.startsWith('note:')
            ? doc.notes.find((x) => `note:${x.id}` === id)
            : doc.nodes.find((x) => x.id === id);
          return !!n && (Math.round(p.x) !== n.position.x || Math.round(p.y) !== n.position.y);
        });
        // Consecutive presses make one undo step.
        if (differs) flow.change((d) => movePositions(d, nudged), 'keyboard-move');
      }
      if (selectionChanged) flow.select({ ...flow.selection, nodes: [...sel.nodes], notes: [...sel.notes] });
    },
    [app],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
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
    },
    [app],
  );

  const onDragStop = useCallback(
    (_: unknown, __: unknown, dragged: RfNode[]) => {
      app.flow.getState().endDrag(Object.fromEntries(dragged.map((n) => [n.id, n.position])));
    },
    [app],
  );

  const onConnect = useCallback((c: Connection) => {
    if (c.sourceHandle) void runAction('connect', { source: c.source, sourceHandle: c.sourceHandle, target: c.target });
  }, []);

  const isValidConnection = useCallback(
    (c: Connection | { target: string }) => {
      const target = app.flow.getState().doc.nodes.find((n) => n.id === c.target);
      return !!target && target.type !== 'start';
    },
    [app],
  );

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
      if (!NODE_TYPES.includes(type)) return;
      e.preventDefault();
      const p = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      void runAction('addNode', { type, position: { x: p.x - 110, y: p.y - 20 } });
    },
    [rf],
  );

  const onSelectionChange = useCallback((_: OnSelectionChangeParams) => {}, []);

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: drop target for the palette; the palette also adds a node by click
    <div className="canvas-host" ref={host} onDragOver={onDragOver} onDrop={onDrop} data-testid="canvas">
      {initialView && (
        <ReactFlow
          colorMode={colorMode}
          defaultViewport={initialView}
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
          <Background gap={20} size={1} />
          <Controls showInteractive={false} aria-label="Zoom and view">
            <ControlButton
              onClick={() => app.prefs?.getState().set({ minimap: !showMap })}
              aria-label={showMap ? 'Hide the minimap' : 'Show the minimap'}
              title={showMap ? 'Hide the minimap' : 'Show the minimap'}
              data-testid="toggle-minimap"
            >
              ▦
            </ControlButton>
          </Controls>
          {far && <OverviewLayer doc={doc} geometry={geometry} taken={taken} host={host} />}
          {showMap && <DocMiniMap geometry={geometry} />}
        </ReactFlow>
      )}
    </div>
  );
}
