// Live SIP: runs the saved flow on the server's SIP runtime so a softphone can call it; lists the
// calls, and for the selected one its trace and a caller ↔ IVR Studio message ladder.
import { memo, useState } from 'react';
import { runAction } from '../actions';
import type { ActionContext } from '../actions/types';
import { traceOffset, describeTrace } from '../call/formatTrace';
import { sipPortOf } from '../call/session';
import { selectSipCall, type SipCallView, type SipLogEntry } from '../call/sipCalls';
import { useApp, useCall, useUi } from '../hooks/useApp';
import { isDirty } from '../store/flowStore';
import { whenOpened } from '../store/uiStore';

/**
 * Start (or restart) the SIP runtime with the current file: it runs what is saved, so an unsaved
 * flow is saved first when the user agrees.
 */
export async function startLiveSip(ctx: ActionContext): Promise<void> {
  const port = sipPortOf(ctx.calls);
  if (!port) return ctx.ui.getState().notify('not connected to the IVR Studio server', 'error');
  // Pressed while the page's ?file= is still loading: the flow store holds the start-up empty flow,
  // which must not be mistaken for an unsaved one.
  await whenOpened(ctx.ui);
  const f = ctx.flow.getState();
  if (f.path === null || isDirty(f)) {
    const question =
      f.path === null
        ? 'Live SIP runs a saved flow file. Save this flow now?'
        : `Live SIP runs ${f.path} as saved. Save your changes first?`;
    if (!(await ctx.confirm(question, 'Save'))) return;
    await runAction('save', undefined, ctx);
  }
  const saved = ctx.flow.getState();
  if (saved.path === null || isDirty(saved)) return;
  await port.startSip(saved.path);
}

export const LiveSip = memo(function LiveSip() {
  const app = useApp();
  const sip = useCall((s) => s.sip);
  const opening = useUi((s) => s.opening);
  const selected = sip.calls.find((c) => c.callId === sip.selected) ?? null;
  const select = (callId: string | null) => {
    const s = app.call.getState();
    s.set(selectSipCall(s, callId));
  };
  const copy = (text: string) => {
    app.clipboard.writeText(text).then(
      () => app.ui.getState().notify(`copied ${text}`),
      () => app.ui.getState().notify('the clipboard refused; select the address and copy it', 'error'),
    );
  };

  return (
    <section className="live-sip" data-testid="live-sip">
      <h3 className="panel-title">Live SIP</h3>
      <div className="call-buttons">
        <button
          type="button"
          className="btn btn--small"
          disabled={sip.status === 'starting' || opening !== null}
          onClick={() => void startLiveSip(app)}
          data-testid="sip-start"
          title={opening ? `Opening ${opening}…` : 'Answer real SIP calls with the saved flow'}
        >
          {sip.status === 'on' ? 'Restart SIP' : 'Start SIP'}
        </button>
        <button
          type="button"
          className="btn btn--small"
          disabled={sip.status !== 'on'}
          onClick={() => void sipPortOf(app.calls)?.stopSip()}
          data-testid="sip-stop"
        >
          Stop SIP
        </button>
      </div>
      {sip.status === 'starting' && <div className="muted small">Starting…</div>}
      {sip.error && <div className="sev-error small">{sip.error}</div>}
      {sip.uri ? (
        <div className="small">
          Call from a softphone:{' '}
          <code data-testid="sip-address" style={{ userSelect: 'all' }}>
            {sip.uri}
          </code>{' '}
          <button type="button" className="btn btn--small" onClick={() => copy(sip.uri!)} title="Copy the address">
            Copy
          </button>
          {sip.path && <div className="muted">runs {sip.path}</div>}
          {sip.accounts.length > 0 && (
            <div className="muted">accounts (their rules apply): {sip.accounts.join(', ')}</div>
          )}
          <div className="muted" data-testid="sip-registrations">
            {sip.registrations.length === 0
              ? 'no phone registered'
              : `registered: ${sip.registrations.map((r) => `${r.account} (${r.source}${r.userAgent ? `, ${r.userAgent}` : ''})`).join('; ')}`}
          </div>
        </div>
      ) : (
        sip.status === 'off' && (
          <div className="muted small">
            Start SIP to call the saved flow from a softphone (UDP or TCP on 127.0.0.1).
          </div>
        )
      )}
      <ul className="outbox" data-testid="sip-calls">
        {sip.calls.map((c) => (
          <li
            key={c.callId}
            className="outbox-item"
            style={c.callId === sip.selected ? { borderColor: 'var(--accent)' } : undefined}
          >
            <button
              type="button"
              className="outbox-item__head"
              onClick={() => select(c.callId === sip.selected ? null : c.callId)}
            >
              <span className="outbox-item__subject">
                {c.live ? '● ' : ''}
                {c.from}
              </span>
              <span className="outbox-item__meta">
                {c.live ? 'in call' : `ended${c.endedBy ? ` by ${c.endedBy}` : ''}`} · {c.messages.length} SIP messages
              </span>
            </button>
          </li>
        ))}
      </ul>
      {selected && <SipCallDetail call={selected} />}
    </section>
  );
});

function SipCallDetail({ call }: { call: SipCallView }) {
  return (
    <div className="live-sip__call">
      <div className="trace" data-testid="sip-trace">
        {call.events.map((e, i) => {
          const { label, text } = describeTrace(e);
          return (
            <div key={i} className={`trace-line trace-line--${e.kind}`}>
              <span className="trace-line__t">{traceOffset(e.t)}</span>
              <span className="trace-line__label">{label}</span>
              <span className="trace-line__text">{text}</span>
            </div>
          );
        })}
      </div>
      <SipLadder messages={call.messages} />
    </div>
  );
}

/** One row per message: time, and the first line on an arrow between the two sides. */
export function SipLadder({ messages }: { messages: readonly SipLogEntry[] }) {
  const [open, setOpen] = useState<number | null>(null);
  return (
    <div className="trace" data-testid="sip-ladder">
      <div className="trace-line" style={{ fontWeight: 600 }}>
        <span className="trace-line__t" style={{ visibility: 'hidden' }}>
          00:00.000
        </span>
        <span style={{ flex: 1 }}>caller</span>
        <span>IVR Studio</span>
      </div>
      {messages.map((m, i) => (
        <div key={i}>
          {/* biome-ignore lint/a11y/useSemanticElements: a trace row that opens its message; a button would break the row's layout */}
          <div
            className="trace-line"
            role="button"
            tabIndex={0}
            style={{ cursor: 'pointer' }}
            title={m.peer}
            onClick={() => setOpen(open === i ? null : i)}
            onKeyDown={(e) => e.key === 'Enter' && setOpen(open === i ? null : i)}
          >
            <span className="trace-line__t">{traceOffset(m.t)}</span>
            <span className="trace-line__text" style={{ textAlign: m.dir === 'in' ? 'left' : 'right' }}>
              {ladderArrow(m)}
            </span>
          </div>
          {open === i && (
            <pre className="small" style={{ whiteSpace: 'pre-wrap', margin: '2px 0 6px' }}>
              {m.text}
            </pre>
          )}
        </div>
      ))}
    </div>
  );
}

/** "INVITE sip:… SIP/2.0 ──▶" for the caller's requests and answers, "◀── SIP/2.0 200 OK" for ours. */
export function ladderArrow(m: Pick<SipLogEntry, 'dir' | 'firstLine'>): string {
  const label = m.firstLine.replace(/ SIP\/2\.0$/, '');
  return m.dir === 'in' ? `${label} ──▶` : `◀── ${label}`;
}
