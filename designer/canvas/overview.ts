// The overview: what the canvas draws when zoomed far out (below FAR_ZOOM), and what the minimap
// draws at any zoom. Every node and note is a box, every edge a stepped line, all as a handful of SVG
// paths built straight from the document: a 1,000-node flow is a few path strings, not thousands of
// React Flow components (which is what made opening and panning a big flow slow).
import { outputHandles } from '../../compiler/flow/model';
import type { FlowDocument, NodeType } from '../../compiler/flow/schema';
import { NOTE_SIZE, estimateSize, type Size } from '../layout/sizes';

export interface XY {
  x: number;
  y: number;
}

export interface Box {
  /** The node's id, or `note:<id>` for a sticky note (React Flow's ids, so `measured` is shared). */
  id: string;
  kind: 'node' | 'note';
  type: NodeType | 'note';
  x: number;
  y: number;
  width: number;
  height: number;
  outputs: readonly string[];
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The height of the coloured header band, in flow units (NodeFrame's header is about this tall). */
export const HEADER = 30;
/** How far a back edge (to a node above) swings out to the side, in flow units. */
const DETOUR = 24;

const finite = (p: XY) => Number.isFinite(p.x) && Number.isFinite(p.y);

/**
 * Every note then every node as a box, in drawing order (later boxes are on top). Sizes are the ones
 * React Flow measured when the node was last drawn, else the estimate a node of its type gets.
 */
export function overviewBoxes(doc: FlowDocument, measured: Readonly<Record<string, Size>>): Box[] {
  const boxes: Box[] = [];
  for (const n of doc.notes) {
    if (!finite(n.position)) continue;
    const id = `note:${n.id}`;
    const size = measured[id] ?? NOTE_SIZE;
    boxes.push({
      id,
      kind: 'note',
      type: 'note',
      x: n.position.x,
      y: n.position.y,
      width: size.width,
      height: size.height,
      outputs: [],
    });
  }
  for (const n of doc.nodes) {
    if (!finite(n.position)) continue;
    const outputs = outputHandles(n);
    const size = measured[n.id] ?? estimateSize(n.type, outputs.length);
    boxes.push({
      id: n.id,
      kind: 'node',
      type: n.type,
      x: n.position.x,
      y: n.position.y,
      width: size.width,
      height: size.height,
      outputs,
    });
  }
  return boxes;
}

/** The boxes, by id, and their extent: what the overview, the minimap and fitting the view use. */
export interface Geometry {
  boxes: Box[];
  byId: Map<string, Box>;
  bounds: Bounds | null;
}

export function overviewGeometry(doc: FlowDocument, measured: Readonly<Record<string, Size>>): Geometry {
  const boxes = overviewBoxes(doc, measured);
  return { boxes, byId: new Map(boxes.map((b) => [b.id, b])), bounds: boundsOf(boxes) };
}

export function boundsOf(boxes: readonly Box[]): Bounds | null {
  let x0 = Infinity,
    y0 = Infinity,
    x1 = -Infinity,
    y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x);
    y0 = Math.min(y0, b.y);
    x1 = Math.max(x1, b.x + b.width);
    y1 = Math.max(y1, b.y + b.height);
  }
  return Number.isFinite(x0) ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** The topmost box under a flow position (nodes are drawn over notes), or null. */
export function hitTest(boxes: readonly Box[], p: XY): Box | null {
  for (let i = boxes.length - 1; i >= 0; i--) {
    const b = boxes[i]!;
    if (p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height) return b;
  }
  return null;
}

/** Boxes whose area meets a rectangle (a rubber-band selection). */
export function boxesIn(boxes: readonly Box[], r: Bounds): Box[] {
  return boxes.filter(
    (b) => b.x <= r.x + r.width && b.x + b.width >= r.x && b.y <= r.y + r.height && b.y + b.height >= r.y,
  );
}

const num = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(1));

/** One path of rectangles (`top` limits each to its top band, e.g. the header). */
export function rectsPath(boxes: readonly Box[], top?: number): string {
  let d = '';
  for (const b of boxes) {
    const h = top === undefined ? b.height : Math.min(top, b.height);
    d += `M${num(b.x)} ${num(b.y)}h${num(b.width)}v${num(h)}h${num(-b.width)}z`;
  }
  return d;
}

/** Where an output handle sits: spread along the bottom edge, as NodeFrame places them. */
export function outputPoint(b: Box, handle: string): XY {
  const i = Math.max(0, b.outputs.indexOf(handle));
  const n = Math.max(1, b.outputs.length);
  return { x: b.x + ((i + 0.5) / n) * b.width, y: b.y + b.height };
}

export function inputPoint(b: Box): XY {
  return { x: b.x + b.width / 2, y: b.y };
}

/**
 * A stepped line from an output to an input: down, across, down. An edge to a node above (a retry
 * loop) swings out beside both boxes instead of cutting through them.
 */
export function stepPath(from: XY, to: XY, source: Box, target: Box): string {
  if (to.y >= from.y + 2 * 10) {
    const mid = (from.y + to.y) / 2;
    return `M${num(from.x)} ${num(from.y)}V${num(mid)}H${num(to.x)}V${num(to.y)}`;
  }
  const side = Math.max(source.x + source.width, target.x + target.width) + DETOUR;
  return `M${num(from.x)} ${num(from.y)}v${DETOUR / 2}H${num(side)}V${num(to.y - DETOUR / 2)}H${num(to.x)}V${num(to.y)}`;
}

/** Edges as one path; `only` limits it to some edge ids (the path a call took, the selection). */
export function edgesPath(doc: FlowDocument, byId: ReadonlyMap<string, Box>, only?: ReadonlySet<string>): string {
  let d = '';
  for (const e of doc.edges) {
    if (only && !only.has(e.id)) continue;
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t) continue;
    d += stepPath(outputPoint(s, e.sourceHandle), inputPoint(t), s, t);
  }
  return d;
}

/** Boxes grouped by node type (one coloured path each), notes under `note`. */
export function byType(boxes: readonly Box[]): Map<Box['type'], Box[]> {
  const groups = new Map<Box['type'], Box[]>();
  for (const b of boxes) {
    const list = groups.get(b.type);
    if (list) list.push(b);
    else groups.set(b.type, [b]);
  }
  return groups;
}

/** The smallest box holding both the document and the visible area (what the minimap shows). */
export function union(a: Bounds | null, b: Bounds): Bounds {
  if (!a) return b;
  const x = Math.min(a.x, b.x),
    y = Math.min(a.y, b.y);
  return {
    x,
    y,
    width: Math.max(a.x + a.width, b.x + b.width) - x,
    height: Math.max(a.y + a.height, b.y + b.height) - y,
  };
}
