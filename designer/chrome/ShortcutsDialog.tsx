// The keyboard cheat-sheet, built from the action registry.
import { actions } from '../actions';
import { displayShortcut } from '../actions/shortcuts';
import type { Action } from '../actions/types';
import { useApp, useUi } from '../hooks/useApp';
import { isMac } from '../hooks/useKeyboard';

export function ShortcutsDialog() {
  const app = useApp();
  const open = useUi((s) => s.dialog === 'shortcuts');
  if (!open) return null;
  const rows = (Object.values(actions) as Action<unknown>[]).filter((a) => a.shortcut);
  const close = () => app.ui.getState().set({ dialog: null });
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions lint/a11y/useKeyWithClickEvents: a click outside closes; Escape does the same
    <div className="dialog-backdrop" onClick={close}>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: stops the backdrop's click; no action of its own */}
      <div
        className="dialog"
        role="dialog"
        aria-label="Keyboard shortcuts"
        onClick={(e) => e.stopPropagation()}
        data-testid="shortcuts-dialog"
      >
        <h2>Keyboard shortcuts</h2>
        <table className="shortcuts">
          <tbody>
            {rows.map((a) => (
              <tr key={a.name}>
                <td>{a.label}</td>
                <td>
                  {[a.shortcut!, ...(a.alsoShortcuts ?? [])].map((s) => (
                    <kbd key={s}>{displayShortcut(s, isMac())}</kbd>
                  ))}
                </td>
              </tr>
            ))}
            <tr>
              <td>Select several</td>
              <td>
                <kbd>Shift</kbd>+click or drag a box with <kbd>Shift</kbd>
              </td>
            </tr>
            <tr>
              <td>Zoomed far out (the overview)</td>
              <td>click selects, drag moves, double-click zooms in on a node</td>
            </tr>
            <tr>
              <td>Phone keys during a call</td>
              <td>
                <kbd>0</kbd>–<kbd>9</kbd> <kbd>*</kbd> <kbd>#</kbd> with the phone panel focused
              </td>
            </tr>
          </tbody>
        </table>
        <div className="button-row">
          <button type="button" className="btn" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
