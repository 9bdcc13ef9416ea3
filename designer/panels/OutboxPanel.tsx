// E-mails the flow sent, newest first: open one to read it, see each delivery attempt, resend a
// failed or waiting one, clear the sent and failed ones. The tab shows how many there are.
import { memo, useEffect, useState } from 'react';
import type { OutboxEntry } from '../api/client';
import { useApp, useCall } from '../hooks/useApp';

interface Open {
  id: string;
  text: string;
  from: string;
  to: string;
  subject: string;
}

const STATUS: Record<string, string> = { queued: 'queued', sent: 'sent', failed: 'failed' };

export const OutboxPanel = memo(function OutboxPanel() {
  const app = useApp();
  const entries = useCall((s) => s.outbox);
  const [open, setOpen] = useState<Open | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const notify = app.ui.getState().notify;

  useEffect(() => {
    app.api
      ?.outbox()
      .then((list) => app.call.getState().set({ outbox: list }))
      .catch(() => {});
  }, [app]);

  const show = async (id: string) => {
    if (open?.id === id) return setOpen(null);
    try {
      const m = await app.api!.outboxMessage(id);
      setOpen({ id, text: m.text, from: m.from, to: m.to, subject: m.subject });
    } catch (e) {
      notify(`could not read the message: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  };

  const replace = (entry: OutboxEntry) => {
    const list = app.call.getState().outbox;
    app.call.getState().set({ outbox: list.map((e) => (e.id === entry.id ? entry : e)) });
  };

  const resend = async (id: string) => {
    if (!app.api) return;
    setBusy(id);
    try {
      const entry = await app.api.resendMessage(id);
      replace(entry);
      notify(
        entry.status === 'sent' ? `resent: ${entry.subject || id}` : `resend: ${entry.status} — ${entry.error ?? ''}`,
      );
    } catch (e) {
      notify(`cannot resend: ${e instanceof Error ? e.message : String(e)}`, 'error');
    } finally {
      setBusy(null);
    }
  };

  const clear = async () => {
    if (!app.api) return;
    try {
      const { removed, entries: left } = await app.api.clearOutbox();
      app.call.getState().set({ outbox: left });
      setOpen(null);
      notify(`cleared ${removed} message${removed === 1 ? '' : 's'} from the outbox`);
    } catch (e) {
      notify(`cannot clear the outbox: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  };

  if (entries.length === 0)
    return (
      <div className="empty-state" data-testid="outbox">
        No e-mail yet. Messages the flow sends appear here.
      </div>
    );
  const failed = entries.filter((e) => e.status === 'failed').length;
  const done = entries.filter((e) => e.status !== 'queued').length;
  return (
    <div className="outbox-panel">
      <div className="button-row outbox__bar">
        <span className="small muted" data-testid="outbox-count">
          {entries.length} message{entries.length === 1 ? '' : 's'}
          {failed ? `, ${failed} failed` : ''}
        </span>
        <button
          type="button"
          className="btn btn--small"
          onClick={() => void clear()}
          disabled={done === 0}
          data-testid="outbox-clear"
          title="Remove the sent and failed messages (queued ones are still being delivered)"
        >
          Clear sent and failed
        </button>
      </div>
      <ul className="outbox" data-testid="outbox">
        {entries.map((e) => (
          <li key={e.id} className={`outbox-item outbox-item--${e.status}`} data-testid="outbox-item">
            <button
              type="button"
              className="outbox-item__head"
              onClick={() => void show(e.id)}
              aria-expanded={open?.id === e.id}
            >
              <span className="outbox-item__subject">{e.subject || '(no subject)'}</span>
              <span className="outbox-item__meta">
                to {e.to} · {new Date(e.createdAt).toLocaleTimeString()} ·{' '}
                <span data-testid="outbox-status">{STATUS[e.status] ?? e.status}</span>
              </span>
            </button>
            {e.error && <div className="sev-error small">{e.error}</div>}
            {(e.status === 'failed' || e.status === 'queued') && !e.refused && (
              <button
                type="button"
                className="btn btn--small"
                disabled={busy === e.id}
                onClick={() => void resend(e.id)}
                data-testid="outbox-resend"
              >
                {busy === e.id ? 'Sending…' : 'Resend now'}
              </button>
            )}
            {open?.id === e.id && (
              <div className="outbox-item__body">
                <div className="small muted">
                  From: {open.from}
                  <br />
                  To: {open.to}
                  <br />
                  Subject: {open.subject}
                </div>
                <pre>{open.text}</pre>
                {e.attempts && e.attempts.length > 0 && (
                  <ol className="outbox-attempts small" aria-label="Delivery attempts">
                    {e.attempts.map((a, i) => (
                      <li key={i}>
                        {new Date(a.at).toLocaleTimeString()} {a.outcome}: {a.reply}
                      </li>
                    ))}
                  </ol>
                )}
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
});
