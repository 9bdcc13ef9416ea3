// The overview (what the canvas draws zoomed far out, and the minimap): boxes from the document,
// hit-testing, rubber-band selection and the edge lines.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { outputHandles } from '../../compiler/flow/schema';
import {
  boundsOf,
  boxesIn,
  edgesPath,
  hitTest,
  inputPoint,
  outputPoint,
  overviewBoxes,
  rectsPath,
  stepPath,
  union,
  type Box,
} from '../../designer/canvas/overview';
import { estimateSize, NOTE_SIZE } from '../../designer/layout/sizes';
import { gridFlow } from '../bench/bigFlow';
import { callbackFlow } from './helpers';

/** The points of an SVG path made of M/V/H/v/h commands (what stepPath writes). */
function points(d: string): { x: number; y: number }[] {
  const out: { x: number; y: number }[] = [];
  let x = 0,
    y = 0;
  for (const [, cmd, args] of d.matchAll(/([MVHvhz])([^MVHvhz]*)/g)) {
    const n = args!.trim().split(/[ ,]+/).filter(Boolean).map(Number);
    if (cmd === 'M') {
      x = n[0]!;
      y = n[1]!;
    } else if (cmd === 'V') y = n[0]!;
    else if (cmd === 'H') x = n[0]!;
    else if (cmd === 'v') y += n[0]!;
    else if (cmd === 'h') x += n[0]!;
    else continue;
    out.push({ x, y });
  }
  return out;
}

describe('overview boxes', () => {
  it('one box per node and note, measured size first, else the estimate for its type', () => {
    const doc = { ...callbackFlow(), notes: [{ id: 'n1', position: { x: -300, y: 10 }, text: 'hello' }] };
    const first = doc.nodes[0]!;
    const boxes = overviewBoxes(doc, { [first.id]: { width: 300, height: 150 } });
    expect(boxes).toHaveLength(doc.nodes.length + 1);
    expect(boxes[0]).toMatchObject({ id: 'note:n1', kind: 'note', x: -300, y: 10, ...NOTE_SIZE });
    expect(boxes.find((b) => b.id === first.id)).toMatchObject({
      width: 300,
      height: 150,
      x: first.position.x,
      y: first.position.y,
    });
    const other = doc.nodes[1]!;
    expect(boxes.find((b) => b.id === other.id)).toMatchObject(estimateSize(other.type, outputHandles(other).length));
    expect(boxes.find((b) => b.id === other.id)!.outputs).toEqual(outputHandles(other));
  });

  it('a node without a finite position is left out instead of breaking the drawing', () => {
    const doc = callbackFlow();
    const broken = { ...doc, nodes: doc.nodes.map((n, i) => (i === 0 ? { ...n, position: { x: NaN, y: 0 } } : n)) };
    const boxes = overviewBoxes(broken, {});
    expect(boxes).toHaveLength(doc.nodes.length + doc.notes.length - 1);
    expect(rectsPath(boxes)).not.toMatch(/NaN|Infinity/);
    expect(edgesPath(broken, new Map(boxes.map((b) => [b.id, b])))).not.toMatch(/NaN|Infinity/);
  });

  it('bounds hold every box; union holds both areas', () => {
    const boxes = overviewBoxes(gridFlow(200), {});
    const b = boundsOf(boxes)!;
    for (const box of boxes) {
      expect(box.x).toBeGreaterThanOrEqual(b.x);
      expect(box.y + box.height).toBeLessThanOrEqual(b.y + b.height);
    }
    expect(boundsOf([])).toBeNull();
    expect(union(null, { x: 1, y: 2, width: 3, height: 4 })).toEqual({ x: 1, y: 2, width: 3, height: 4 });
    expect(union({ x: 0, y: 0, width: 10, height: 10 }, { x: 5, y: -5, width: 10, height: 5 })).toEqual({
      x: 0,
      y: -5,
      width: 15,
      height: 15,
    });
  });
});

describe('hit-testing', () => {
  const boxes = overviewBoxes(gridFlow(300), {});

  it('any point inside a box finds that box; points between the grid cells find nothing', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: boxes.length - 1 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (i, fx, fy) => {
          const b = boxes[i]!;
          expect(hitTest(boxes, { x: b.x + fx * b.width, y: b.y + fy * b.height })?.id).toBe(b.id);
        },
      ),
    );
    // gridFlow places nodes 300 × 220 apart; the gap under a node is empty.
    const b = boxes[0]!;
    expect(hitTest(boxes, { x: b.x + 10, y: b.y + b.height + 5 })).toBeNull();
  });

  it('the topmost box wins (nodes are drawn over notes)', () => {
    const doc = {
      ...callbackFlow(),
      notes: [{ id: 'under', position: { ...callbackFlow().nodes[0]!.position }, text: '' }],
    };
    const list = overviewBoxes(doc, {});
    const node = list.find((b) => b.kind === 'node' && b.id === doc.nodes[0]!.id)!;
    expect(hitTest(list, { x: node.x + 5, y: node.y + 5 })!.kind).toBe('node');
  });

  it('a rubber band selects the boxes it touches, and only those', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -500, max: 6000 }),
        fc.integer({ min: -500, max: 3000 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer({ min: 0, max: 2000 }),
        (x, y, width, height) => {
          const r = { x, y, width, height };
          const inside = new Set(boxesIn(boxes, r).map((b) => b.id));
          for (const b of boxes) {
            const meets = b.x <= x + width && b.x + b.width >= x && b.y <= y + height && b.y + b.height >= y;
            expect(inside.has(b.id)).toBe(meets);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('edge lines', () => {
  const box = (id: string, x: number, y: number, outputs: string[] = ['next']): Box => ({
    id,
    kind: 'node',
    type: 'play',
    x,
    y,
    width: 220,
    height: 90,
    outputs,
  });

  it('start at the output handle and end at the input, in right angles', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -3000, max: 3000 }),
        fc.integer({ min: -3000, max: 3000 }),
        fc.integer({ min: 0, max: 2 }),
        (tx, ty, handle) => {
          const s = box('s', 0, 0, ['a', 'b', 'c']);
          const t = box('t', tx, ty);
          const from = outputPoint(s, ['a', 'b', 'c'][handle]!);
          const to = inputPoint(t);
          const pts = points(stepPath(from, to, s, t));
          expect(pts[0]!.x).toBeCloseTo(from.x, 1);
          expect(pts[0]!.y).toBeCloseTo(from.y, 1);
          const last = pts[pts.length - 1]!;
          expect(last.x).toBeCloseTo(to.x, 1);
          expect(last.y).toBeCloseTo(to.y, 1);
          for (let i = 1; i < pts.length; i++)
            expect(pts[i]!.x === pts[i - 1]!.x || Math.abs(pts[i]!.y - pts[i - 1]!.y) < 1e-9).toBe(true);
        },
      ),
    );
  });

  it('an edge back up to an earlier node goes around both boxes, not through them', () => {
    const s = box('s', 0, 600);
    const t = box('t', 100, 0);
    const pts = points(stepPath(outputPoint(s, 'next'), inputPoint(t), s, t));
    const side = Math.max(...pts.map((p) => p.x));
    expect(side).toBeGreaterThan(Math.max(s.x + s.width, t.x + t.width));
  });

  it('outputs are spread along the bottom in their order', () => {
    const b = box('m', 0, 0, ['1', '2', 'timeout', 'invalid']);
    const xs = b.outputs.map((h) => outputPoint(b, h).x);
    expect([...xs].sort((p, q) => p - q)).toEqual(xs);
    expect(new Set(xs).size).toBe(4);
    for (const h of b.outputs) expect(outputPoint(b, h).y).toBe(b.height);
  });

  it('edgesPath draws every edge of a flow, or just the ones asked for', () => {
    const doc = callbackFlow();
    const boxes = overviewBoxes(doc, {});
    const byId = new Map(boxes.map((b) => [b.id, b]));
    expect(edgesPath(doc, byId).match(/M/g)).toHaveLength(doc.edges.length);
    const one = new Set([doc.edges[0]!.id]);
    expect(edgesPath(doc, byId, one).match(/M/g)).toHaveLength(1);
    expect(edgesPath({ ...doc, edges: [{ ...doc.edges[0]!, target: 'missing' }] }, byId)).toBe('');
  });

  it('rectsPath: one closed rectangle per box; a header band is capped at the box height', () => {
    const boxes = [box('a', 0, 0), box('b', 300, 0)];
    expect(rectsPath(boxes).match(/z/g)).toHaveLength(2);
    expect(rectsPath([box('c', 0, 0)], 1000)).toBe('M0 0h220v90h-220z');
    expect(rectsPath([box('c', 0, 0)], 30)).toBe('M0 0h220v30h-220z');
  });
});
