// The trace says why a business-hours node took its branch: the branch (what the program did, read
// from the next node of the call) with the local time it decided at, in the node's time zone, and the
// schedule it was checked against — "closed: Sunday 2026-11-29 23:00 Europe/Moscow (open Mon–Fri 09:00–18:00)".
import type { TraceEvent } from '../../runtime/call/trace';
import type { FlowDocument, NodeOf } from '../../compiler/flow/schema';
import { describeWall, flowTimeZone, isZone, wallTime } from './zonedTime';

function schedule(node: NodeOf<'businessHours'>): string {
  const rows = node.data.schedule.map((r) => {
    const days = r.days.length === 7 ? 'every day' : r.days.join(' ');
    return `${days} ${r.from}–${r.to}`;
  });
  return rows.length ? `open ${rows.join(', ')}` : 'no opening hours';
}

/**
 * The explanation for the `node` event at `index` when it is a business-hours node; null otherwise.
 * `clockStart`: the call's time at its start (ms), the trace times count from it.
 */
export function explainHours(
  doc: FlowDocument,
  events: readonly TraceEvent[],
  index: number,
  clockStart: number | null,
): string | null {
  const e = events[index];
  if (e?.kind !== 'node') return null;
  const node = doc.nodes.find((n) => n.id === e.id);
  if (node?.type !== 'businessHours') return null;
  const next = events.slice(index + 1).find((x) => x.kind === 'node');
  const edge = next?.kind === 'node' ? doc.edges.find((x) => x.source === node.id && x.target === next.id) : undefined;
  const decision = edge?.sourceHandle ?? 'deciding';
  const zone = node.data.timeZone && isZone(node.data.timeZone) ? node.data.timeZone : flowTimeZone(doc).zone;
  if (clockStart === null) return `${decision} (${schedule(node)}, ${zone})`;
  const at = clockStart + e.t;
  const w = wallTime(at, zone);
  const date = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  const holiday = node.data.holidays.some((h) => h.trim() === date) ? `, holiday ${date}` : '';
  return `${decision}: ${describeWall(at, zone)} ${zone}${holiday} (${schedule(node)})`;
}
