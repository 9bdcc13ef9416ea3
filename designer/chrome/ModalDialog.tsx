// The in-app dialog for questions (Save as, replace?, the file changed on disk): window.prompt and
// window.confirm do not exist in Electron and block the page elsewhere. Focus goes into the dialog
// and stays there; Escape cancels, Enter answers with the primary button.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useUi } from '../hooks/useApp';
import type { ModalRequest } from '../store/uiStore';

export function ModalDialog() {
  const modal = useUi((s) => s.modal);
  if (!modal) return null;
  // A new request gets a fresh component (its own text field state).
  return <Dialog key={modalKey(modal)} modal={modal} />;
}

const keys = new WeakMap<ModalRequest, number>();
let nextKey = 1;
function modalKey(m: ModalRequest): number {
  let k = keys.get(m);
  if (k === undefined) keys.set(m, (k = nextKey++));
  return k;
}

function Dialog({ modal }: { modal: ModalRequest }) {
  const titleId = useId();
  const messageId = useId();
  const box = useRef<HTMLDivElement>(null);
  const [value, setValue] = useState(modal.kind === 'ask' ? modal.initial : '');
  const cancel = () => modal.resolve(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const first = box.current?.querySelector<HTMLElement>('input, .btn--primary, button');
    first?.focus();
    if (first instanceof HTMLInputElement) first.select();
    return () => before?.focus?.();
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      cancel();
    } else if (e.key === 'Tab') {
      const items = [...(box.current?.querySelectorAll<HTMLElement>('input, button') ?? [])];
      const i = items.indexOf(document.activeElement as HTMLElement);
      const next = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : (i + 1) % items.length;
      e.preventDefault();
      items[next]?.focus();
    } else if (e.key === 'Enter' && modal.kind === 'ask' && (e.target as HTMLElement).tagName === 'INPUT') {
      e.preventDefault();
      if (value.trim()) modal.resolve(value);
    }
  };

  const hint = modal.kind === 'ask' ? (modal.hint?.(value) ?? null) : null;
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a press outside the dialog cancels it (Escape does from the keyboard)
    <div className="dialog-backdrop" role="presentation" onMouseDown={cancel}>
      <div
        ref={box}
        className="dialog dialog--question"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={messageId}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
        data-testid="modal"
      >
        <h2 id={titleId}>{modal.title}</h2>
        <p id={messageId} className="dialog__message" data-testid="modal-message">
          {modal.message}
        </p>
        {modal.kind === 'ask' && (
          <label className="field">
            <span className="field__label">{modal.label}</span>
            <input
              type="text"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              spellCheck={false}
              data-testid="modal-input"
            />
            {hint && (
              <span className="warn small" role="status" data-testid="modal-hint">
                {hint}
              </span>
            )}
          </label>
        )}
        <div className="dialog__buttons">
          {modal.kind === 'ask' ? (
            <>
              <button type="button" className="btn" onClick={cancel} data-testid="modal-cancel">
                Cancel
              </button>
              <button
                type="button"
                className="btn btn--primary"
                disabled={!value.trim()}
                onClick={() => modal.resolve(value)}
                data-testid="modal-ok"
              >
                {modal.okLabel}
              </button>
            </>
          ) : (
            modal.buttons.map((b) => (
              <button
                key={b.id}
                type="button"
                className={`btn${b.primary ? ' btn--primary' : ''}${b.danger ? ' btn--danger' : ''}`}
                onClick={() => modal.resolve(b.id)}
                data-testid={`modal-${b.id}`}
              >
                {b.label}
              </button>
            ))
          )}
        </div>
      </div>
    </div>
  );
}
