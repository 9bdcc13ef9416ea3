// E-mails the flow sent, newest first; click one to read it.
import { memo, useEffect, useState } from 'react';
import { useApp, useCall } from '../hooks/useApp';

interface Open {
  id: string;
  text: string;
  from: string;
  to: string;
  subject: string;
}

export const OutboxPanel = memo(function OutboxPanel() {
  const app = useApp();
  const entries = useCall((s) => s.outbox);
  const [open, setOpen] = useState<Open | null>(null);

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
      app.ui.getState().notify(`could not read the message: ${e instanceof Error ? e.message : String(e)}`, 'error');
    }
  };

  if (entries.length === 0)
    return (
      <div className="empty-state" data-testid="outbox">
        No e-mail yet. Messages the flow sends appear here.
      </div>
    );
  return (
    <ul className="outbox" data-testid="outbox">
      {entries.map((e) => (
        <li key={e.id} className={`outbox-item outbox-item--${e.status}`} data-testid="outbox-item">
          <button type="button" className="outbox-item__head" onClick={() => void show(e.id)}>
            <span className="outbox-item__subject">{e.subject || '(no subject)'}</span>
            <span className="outbox-item__meta">
              to {e.to} · {new Date(e.createdAt).toLocaleTimeString()} · {e.status}
            </span>
          </button>
          {e.error && <div className="sev-error small">{e.error}</div>}
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
            </div>
          )}
        </li>
      ))}
    </ul>
  );
});
