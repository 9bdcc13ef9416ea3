// Short messages: saved, could not connect, cannot paste …
import { useApp, useUi } from '../hooks/useApp';

export function Toasts() {
  const app = useApp();
  const toasts = useUi((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a click dismisses early; toasts also time out
        <div
          key={t.id}
          className={`toast toast--${t.kind}`}
          onClick={() => app.ui.getState().dismiss(t.id)}
          data-testid="toast"
        >
          {t.text}
        </div>
      ))}
    </div>
  );
}
