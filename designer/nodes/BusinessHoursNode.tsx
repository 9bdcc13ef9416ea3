// The businessHours node on the canvas.
import { memo } from 'react';
import { outputHandles } from '../../compiler/flow/model';
import { NodeFrame, Row } from './NodeFrame';
import type { FlowNodeProps } from './types';

export const BusinessHoursNode = memo(function BusinessHoursNode({
  id,
  data,
  selected,
}: FlowNodeProps<'businessHours'>) {
  const node = data.node;
  const d = node.data;
  return (
    <NodeFrame id={id} type="businessHours" label={d.label} selected={!!selected} handles={outputHandles(node)}>
      {d.schedule.length === 0 ? (
        <div className="warn small">no opening hours</div>
      ) : (
        d.schedule.slice(0, 4).map((r, i) => <Row key={i} k={daysText(r.days)} v={`${r.from}–${r.to}`} />)
      )}
      {d.schedule.length > 4 && <div className="muted small">+{d.schedule.length - 4} more</div>}
      {d.timeZone && <div className="muted small">{d.timeZone}</div>}
      {d.holidays.length > 0 && <div className="muted small">{d.holidays.length} holiday(s)</div>}
    </NodeFrame>
  );
});

const ORDER = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon–Fri", "Sat, Sun": consecutive days joined into ranges. */
export function daysText(days: readonly string[]): string {
  const idx = [...new Set(days)]
    .map((d) => ORDER.indexOf(d))
    .filter((i) => i >= 0)
    .sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j]! + 1) j++;
    parts.push(
      j - i >= 2
        ? `${ORDER[idx[i]!]}–${ORDER[idx[j]!]}`
        : idx
            .slice(i, j + 1)
            .map((k) => ORDER[k])
            .join(', '),
    );
    i = j + 1;
  }
  return parts.join(', ') || 'no days';
}
