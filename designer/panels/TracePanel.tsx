// The call's trace, live, one line per event; keeps the newest line in view.
import { memo, useEffect, useRef } from 'react';
import { describeTrace, traceOffset } from '../call/formatTrace';
import { explainHours } from '../call/hoursTrace';
import { useCall, useFlow } from '../hooks/useApp';

export const TracePanel = memo(function TracePanel() {
  const events = useCall((s) => s.events);
  const clockStart = useCall((s) => s.clockStart);
  const doc = useFlow((s) => s.doc);
  const box = useRef<HTMLDivElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll down when an event arrives
  useEffect(() => {
    // Scroll only this list (scrollIntoView would scroll the whole sidebar away from the keypad).
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [events.length]);
  if (events.length === 0)
    return (
      <div className="empty-state" data-testid="trace">
        The trace of a test call appears here.
      </div>
    );
  return (
    <div className="trace" ref={box} data-testid="trace" role="log" aria-label="Call trace">
      {events.map((e, i) => {
        const { label, text: plain } = describeTrace(e);
        const hours = explainHours(doc, events, i, clockStart);
        const text = hours ? `${nodeLabel(doc, plain)} — ${hours}` : e.kind === 'node' ? nodeLabel(doc, plain) : plain;
        return (
          <div key={i} className={`trace-line trace-line--${e.kind}`}>
            <span className="trace-line__t">{traceOffset(e.t)}</span>
            <span className="trace-line__label">{label}</span>
            <span className="trace-line__text">{text}</span>
          </div>
        );
      })}
    </div>
  );
});

/** A node event names the node as the canvas does: its label, then its id. */
function nodeLabel(doc: { nodes: { id: string; data: unknown }[] }, id: string): string {
  const label = (doc.nodes.find((n) => n.id === id)?.data as { label?: string } | undefined)?.label?.trim();
  return label ? `${label} (${id})` : id;
}
