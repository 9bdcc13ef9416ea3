// The top bar: file name and state, then the main actions as buttons.
import { memo } from 'react';
import { runAction, type ActionName } from '../actions';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import { useApp, useFlow, useHistory, useProblems, useUi } from '../hooks/useApp';
import { DEFAULT_PREFS, type Theme } from '../store/prefs';
import { isDirty } from '../store/flowStore';

function Btn({
  action,
  label,
  testId,
  disabled,
  title,
  primary,
  name,
}: {
  action: ActionName;
  label: string;
  testId?: string;
  disabled?: boolean;
  title?: string;
  primary?: boolean;
  /** For a button whose label is a symbol: what a screen reader says. */
  name?: string;
}) {
  return (
    <button
      type="button"
      className={`tb-btn${primary ? ' tb-btn--primary' : ''}`}
      disabled={disabled}
      title={title ?? label}
      aria-label={name}
      onClick={() => void runAction(action as Parameters<typeof runAction>[0], undefined as never)}
      data-testid={testId}
    >
      {label}
    </button>
  );
}

/** Import CG/PL…: picks a .sppr with the browser's file dialog and hands its text to the action. */
function ImportButton() {
  return (
    <label className="tb-btn" title="Import a CommuniGate PBX program (.sppr) as a new flow">
      Import CG/PL…
      <input
        type="file"
        accept=".sppr,.sppi,text/plain"
        hidden
        data-testid="import-cgpl"
        onChange={(e) => {
          const input = e.currentTarget;
          const file = input.files?.[0];
          if (!file) return;
          void file.text().then((text) => {
            input.value = '';
            return runAction('importCgpl', { name: file.name, text });
          });
        }}
      />
    </label>
  );
}

const NEXT_THEME: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<Theme, string> = { system: '◐ Auto', light: '☀ Light', dark: '☾ Dark' };

/** The theme: follows the system until chosen; the button cycles auto → light → dark. */
function ThemeButton() {
  const app = useApp();
  const theme = useStore(app.prefs ?? FALLBACK_PREFS, (s) => s.theme);
  return (
    <button
      type="button"
      className="tb-btn"
      onClick={() => app.prefs?.getState().set({ theme: NEXT_THEME[theme] })}
      aria-label={`${THEME_LABEL[theme].slice(2)} theme${theme === 'system' ? ' (follows the system)' : ''}: change it`}
      title="Theme: auto (the system's), light or dark"
      data-testid="theme"
    >
      {THEME_LABEL[theme]}
    </button>
  );
}

const FALLBACK_PREFS = createStore(() => ({ ...DEFAULT_PREFS, set: () => {} }));

export const Toolbar = memo(function Toolbar() {
  const name = useFlow((s) => s.doc.name);
  const path = useFlow((s) => s.path);
  const dirty = useFlow(isDirty);
  const errors = useProblems((s) => s.problems.filter((p) => p.severity === 'error').length);
  const { canUndo, canRedo } = useHistory();
  const bottomOpen = useUi((s) => s.bottomOpen);
  return (
    <header className="toolbar">
      <div className="brand">IVR Studio</div>
      <div className="doc-title" title={path ?? 'not saved yet'} data-testid="doc-title">
        <span className="doc-title__name">{name}</span>
        <span className="doc-title__path">{path ?? 'unsaved'}</span>
        {dirty && (
          <span className="dirty-dot" title="Unsaved changes">
            •
          </span>
        )}
      </div>
      <div className="tb-group">
        <Btn action="newFlow" label="New" />
        <Btn action="save" label="Save" testId="save" title="Save (Ctrl+S)" />
        <Btn action="saveAs" label="Save as…" title="Save as (Ctrl+Shift+S)" />
        <ImportButton />
      </div>
      <div className="tb-group">
        <Btn action="undo" label="↶" name="Undo" testId="undo" disabled={!canUndo} title="Undo (Ctrl+Z)" />
        <Btn action="redo" label="↷" name="Redo" testId="redo" disabled={!canRedo} title="Redo (Ctrl+Shift+Z)" />
      </div>
      <div className="tb-group">
        <Btn action="autoLayout" label="Layout" title="Auto layout (Ctrl+L)" />
        <Btn action="fitView" label="Fit" title="Fit to screen (Ctrl+Shift+F)" />
        <Btn
          action="toggleCodePanel"
          label={bottomOpen ? 'Code ▾' : 'Code ▴'}
          title="Show the generated program (Ctrl+J)"
        />
      </div>
      <div className="tb-spacer" />
      <div className="tb-group">
        <Btn
          action="exportSppr"
          label={`Export ${name}.sppr`}
          testId="export-sppr"
          disabled={errors > 0}
          primary
          title={errors > 0 ? 'Fix the errors in Problems first' : 'Download the CommuniGate PBX program'}
        />
        <Btn
          action="exportTar"
          label=".tar"
          testId="export-tar"
          disabled={errors > 0}
          title="Export the environment (.tar for Domain → PBX)"
        />
        <Btn action="exportJs" label="JS" testId="export-js" disabled={errors > 0} title="Export the JS module" />
        <Btn action="deploy" label="Deploy…" testId="deploy" title="Deploy the environment to a CommuniGate server" />
      </div>
      <ThemeButton />
      <Btn action="showShortcuts" label="?" name="Keyboard shortcuts" title="Keyboard shortcuts (?)" />
    </header>
  );
});
