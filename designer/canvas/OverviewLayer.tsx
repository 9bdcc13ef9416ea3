// The canvas zoomed far out: the document drawn as one SVG in the flow's coordinates (overview.ts),
// instead of React Flow's node and edge components. It shows what can be seen at that size — boxes
// coloured by type, edges, the selection, the node a call is in and the path it took, errors and
// breakpoints — and keeps the gestures: click selects, Shift/Ctrl-click toggles, drag moves the
// selection (one undo step), Shift-drag on empty canvas selects a rectangle, double-click zooms in
// on a node. Panning and wheel zoom stay React Flow's.
import { memo, useEffect, useMemo, useRef, useState, type RefObject } from 'react';
import { ViewportPortal, useReactFlow } from '@xyflow/react';
import type { FlowDocument } from '../../compiler/flow/schema';
import { useApp, useCall, useFlow, useProblems } from '../hooks/useApp';
import { NODE_META } from '../nodes/meta';
import type { Selection } from '../store/docOps';
import {
  HEADER,
  boxesIn,
  byType,
  edgesPath,
  hitTest,
  rectsPath,
  type Bounds,
  type Box,
  type Geometry,
  type XY,
} from './overview';

const NOTE_COLOUR = '#fde68a';
/** Screen pixels the mouse must travel before a press on a node becomes a drag. */
const DRAG_SLOP = 3;

export function colourOf(type: Box['type']): string {
  return type === 'note' ? NOTE_COLOUR : (NODE_META[type]?.colour ?? '#94a3b8');
}

/** The static drawing: node and note boxes by colour, and every edge. */
const Drawing = memo(function Drawing({ doc, geometry }: { doc: FlowDocument; geometry: Geometry }) {
  const groups = useMemo(() => [...byType(geometry.boxes)], [geometry]);
  const edges = useMemo(() => edgesPath(doc, geometry.byId), [doc, geometry]);
  return (
    <>
      <path d={edges} className="overview__edges" />
      {groups.map(([type, boxes]) => (
        <g key={type} style={{ ['--node-colour' as string]: colourOf(type) }} data-type={type}>
          <path d={rectsPath(boxes)} className={type === 'note' ? 'overview__note' : 'overview__box'} />
          {type !== 'note' && <path d={rectsPath(boxes, HEADER)} className="overview__header" />}
        </g>
      ))}
    </>
  );
});

interface Marks {
  selected: Selection;
  errors: ReadonlyMap<string, number>;
}

/** What changes without the document changing: selection, the call's position and path, problems. */
function Highlights({
  doc,
  geometry,
  marks,
  taken,
}: {
  doc: FlowDocument;
  geometry: Geometry;
  marks: Marks;
  taken: ReadonlySet<string>;
}) {
  const active = useCall((s) => s.activeNodeId);
  const visited = useCall((s) => s.visited);
  const breakpoints = useCall((s) => s.breakpoints);
  const pick = (ids: Iterable<string>) => {
    const out: Box[] = [];
    for (const id of ids) {
      const b = geometry.byId.get(id);
      if (b) out.push(b);
    }
    return out;
  };
  const selectedEdges = useMemo(() => new Set(marks.selected.edges), [marks.selected.edges]);
  const selected = [...pick(marks.selected.nodes), ...pick(marks.selected.notes.map((id) => `note:${id}`))];
  const withErrors = pick(marks.errors.keys());
  const dots = pick(breakpoints);
  return (
    <>
      {taken.size > 0 && <path d={edgesPath(doc, geometry.byId, taken)} className="overview__taken" />}
      {selectedEdges.size > 0 && (
        <path d={edgesPath(doc, geometry.byId, selectedEdges)} className="overview__edge-selected" />
      )}
      {visited.length > 0 && (
        <path d={rectsPath(pick(new Set(visited)))} className="overview__visited" data-testid="overview-visited" />
      )}
      {withErrors.length > 0 && <path d={rectsPath(withErrors)} className="overview__errors" />}
      {selected.length > 0 && (
        <path d={rectsPath(selected)} className="overview__selected" data-testid="overview-selected" />
      )}
      {active && geometry.byId.has(active) && (
        <path d={rectsPath(pick([active]))} className="overview__active" data-testid="overview-active" />
      )}
      {dots.map((b) => (
        <circle key={b.id} cx={b.x + b.width - 12} cy={b.y + 12} r={9} className="overview__breakpoint" />
      ))}
    </>
  );
}

interface Props {
  doc: FlowDocument;
  geometry: Geometry;
  /** The edges of the path a call took (callStore's pathEdges). */
  taken: ReadonlySet<string>;
  host: RefObject<HTMLDivElement | null>;
}

export function OverviewLayer({ doc, geometry, taken, host }: Props) {
  const selected = useFlow((s) => s.selection);
  const errors = useProblems((s) => s.errors);
  const marks = useMemo(() => ({ selected, errors }), [selected, errors]);
  const band = useOverviewPointer(host, geometry);
  const b = geometry.bounds;
  if (!b) return null;
  // Room for the back edges that swing out to the right of the boxes.
  const pad = 40;
  return (
    <ViewportPortal>
      <svg
        role="img"
        aria-label="Flow overview"
        className="overview"
        data-testid="overview"
        style={{ position: 'absolute', left: b.x - pad, top: b.y - pad, overflow: 'visible' }}
        width={b.width + 2 * pad}
        height={b.height + 2 * pad}
        viewBox={`${b.x - pad} ${b.y - pad} ${b.width + 2 * pad} ${b.height + 2 * pad}`}
      >
        <Drawing doc={doc} geometry={geometry} />
        <Highlights doc={doc} geometry={geometry} marks={marks} taken={taken} />
        {band && <rect x={band.x} y={band.y} width={band.width} height={band.height} className="overview__band" />}
      </svg>
    </ViewportPortal>
  );
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/**
 * Mouse gestures on the overview, as native capture listeners on the canvas host: a press on a box
 * must not reach React Flow's pan handler (d3-zoom), which listens further down.
 */
function useOverviewPointer(host: RefObject<HTMLDivElement | null>, geometry: Geometry): Bounds | null {
  const app = useApp();
  const rf = useReactFlow();
  const [band, setBand] = useState<Bounds | null>(null);
  const geo = useRef(geometry);
  geo.current = geometry;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const inCanvas = (e: MouseEvent) => e.target instanceof Element && !!e.target.closest('.react-flow__renderer');
    const toFlow = (e: MouseEvent): XY => rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
    const multi = (e: MouseEvent) => e.shiftKey || e.metaKey || e.ctrlKey;

    const onDown = (e: MouseEvent) => {
      if (e.button !== 0 || !inCanvas(e)) return;
      const start = toFlow(e);
      const hit = hitTest(geo.current.boxes, start);
      if (!hit && !e.shiftKey) return; // an empty-canvas press pans (React Flow)
      e.stopPropagation();
      e.preventDefault();
      const flow = app.flow.getState();
      if (!hit) return rubberBand(e, start);
      const sel = flow.selection;
      const key = hit.kind === 'note' ? 'notes' : 'nodes';
      const id = hit.kind === 'note' ? hit.id.slice(5) : hit.id;
      const isSelected = sel[key].includes(id);
      let next: Selection = sel;
      if (multi(e)) next = { ...sel, [key]: isSelected ? sel[key].filter((x) => x !== id) : [...sel[key], id] };
      else if (!isSelected) next = { nodes: [], edges: [], notes: [], [key]: [id] };
      if (next !== sel) flow.select(next);
      if (multi(e) && isSelected) return; // toggled off: nothing to drag
      dragSelection(e, start, next);
    };

    const dragSelection = (down: MouseEvent, start: XY, sel: Selection) => {
      const doc = app.flow.getState().doc;
      const origin: Record<string, XY> = {};
      for (const n of doc.nodes) if (sel.nodes.includes(n.id)) origin[n.id] = n.position;
      for (const n of doc.notes) if (sel.notes.includes(n.id)) origin[`note:${n.id}`] = n.position;
      let dragging = false;
      const at = (e: MouseEvent) => {
        const p = toFlow(e);
        const out: Record<string, XY> = {};
        for (const [id, o] of Object.entries(origin)) out[id] = { x: o.x + p.x - start.x, y: o.y + p.y - start.y };
        return out;
      };
      const move = (e: MouseEvent) => {
        if (!dragging && Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) < DRAG_SLOP) return;
        if (!dragging) app.flow.getState().beginDrag();
        dragging = true;
        app.flow.getState().dragTo(at(e));
      };
      const up = (e: MouseEvent) => {
        window.removeEventListener('mousemove', move, true);
        window.removeEventListener('mouseup', up, true);
        if (dragging) app.flow.getState().endDrag(at(e));
      };
      window.addEventListener('mousemove', move, true);
      window.addEventListener('mouseup', up, true);
    };

    const rubberBand = (down: MouseEvent, start: XY) => {
      const rect = (e: MouseEvent): Bounds => {
        const p = toFlow(e);
        return {
          x: Math.min(p.x, start.x),
          y: Math.min(p.y, start.y),
          width: Math.abs(p.x - start.x),
          height: Math.abs(p.y - start.y),
        };
      };
      const move = (e: MouseEvent) => setBand(rect(e));
      const up = (e: MouseEvent) => {
        window.removeEventListener('mousemove', move, true);
        window.removeEventListener('mouseup', up, true);
        setBand(null);
        if (Math.hypot(e.clientX - down.clientX, e.clientY - down.clientY) < DRAG_SLOP) return;
        const inside = boxesIn(geo.current.boxes, rect(e));
        const flow = app.flow.getState();
        const nodes = inside.filter((b) => b.kind === 'node').map((b) => b.id);
        const notes = inside.filter((b) => b.kind === 'note').map((b) => b.id.slice(5));
        if (!sameSet(nodes, flow.selection.nodes) || !sameSet(notes, flow.selection.notes))
          flow.select({ nodes, edges: [], notes });
      };
      window.addEventListener('mousemove', move, true);
      window.addEventListener('mouseup', up, true);
    };

    // A click on empty canvas clears the selection, as it does zoomed in.
    const onClick = (e: MouseEvent) => {
      if (e.button !== 0 || !inCanvas(e) || multi(e) || hitTest(geo.current.boxes, toFlow(e))) return;
      const flow = app.flow.getState();
      const s = flow.selection;
      if (s.nodes.length + s.edges.length + s.notes.length > 0) flow.select({ nodes: [], edges: [], notes: [] });
    };

    const onDoubleClick = (e: MouseEvent) => {
      if (!inCanvas(e)) return;
      const hit = hitTest(geo.current.boxes, toFlow(e));
      if (!hit) return; // React Flow zooms in on empty canvas
      e.stopPropagation();
      e.preventDefault();
      void rf.setCenter(hit.x + hit.width / 2, hit.y + hit.height / 2, { zoom: 1, duration: 250 });
    };

    el.addEventListener('mousedown', onDown, true);
    el.addEventListener('click', onClick, true);
    el.addEventListener('dblclick', onDoubleClick, true);
    return () => {
      el.removeEventListener('mousedown', onDown, true);
      el.removeEventListener('click', onClick, true);
      el.removeEventListener('dblclick', onDoubleClick, true);
    };
  }, [app, rf, host]);

  return band;
}
