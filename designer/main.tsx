// Start: read ?token= and ?file= from the URL, build the stores, open the file, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './styles.css';
import { App } from './App';
import { ApiClient, readLaunchParams } from './api/client';
import { runAction, setActionContext } from './actions';
import { memoryClipboard, type ActionContext, type ClipboardPort } from './actions/types';
import { createFlowStore } from './store/flowStore';
import { createUiStore } from './store/uiStore';
import { createCallStore } from './call/callStore';
import { CallSession } from './call/session';
import { draftOfPath, serverAutosave } from './store/autosave';
import { ask, choose } from './store/uiStore';
import { AppContext } from './hooks/useApp';
import { createPrefsStore } from './store/prefs';

const params = readLaunchParams(location.search);
// The token stays in memory (and the server's cookie); take it out of the address bar and history.
if (params.token) {
  const url = new URL(location.href);
  url.searchParams.delete('token');
  history.replaceState(null, '', url.pathname + url.search + url.hash);
}

function systemClipboard(): ClipboardPort {
  const fallback = memoryClipboard();
  return {
    async writeText(text) {
      await fallback.writeText(text);
      await navigator.clipboard?.writeText(text).catch(() => {});
    },
    async readText() {
      try {
        const text = await navigator.clipboard?.readText();
        if (text) return text;
      } catch {
        /* permission refused: use what this page copied */
      }
      return fallback.readText();
    },
  };
}

function pageStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function download(name: string, data: Blob): void {
  const url = URL.createObjectURL(data);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const api = new ApiClient(params.token);
const flow = createFlowStore();
const ui = createUiStore();
const call = createCallStore();
const session = new CallSession(api, call, flow, ui);
const prefs = createPrefsStore(api);

const ctx: ActionContext = {
  flow,
  ui,
  call,
  api,
  clipboard: systemClipboard(),
  autosave: serverAutosave(api),
  storage: pageStorage(),
  prefs,
  canvas: null,
  calls: session,
  download,
  // In-app dialogs (Electron has no window.prompt); the desktop app's native Save dialog when there is one.
  ask: (q, initial) => (window.ivrDesktop ? window.ivrDesktop.chooseSavePath(initial) : askSavePath(q, initial)),
  confirm: async (q, yes = 'OK') =>
    (await choose(ui, {
      title: 'Please confirm',
      message: q,
      buttons: [
        { id: 'yes', label: yes, primary: true },
        { id: 'no', label: 'Cancel' },
      ],
    })) === 'yes',
  choose: (o) => choose(ui, o),
};

/** The in-app Save as dialog: warns while the typed path names a flow that exists. */
async function askSavePath(question: string, initial: string): Promise<string | null> {
  const files = await api.listFiles().catch(() => []);
  const taken = new Set(files.map((f) => f.path));
  return ask(ui, {
    title: 'Save as',
    message: question,
    label: 'Path in the workspace',
    initial,
    okLabel: 'Save',
    hint: (value) => {
      const p = value.trim().replace(/^\/+/, '');
      const path = p.endsWith('.json') ? p : `${p}.json`;
      return taken.has(path) ? `${path} exists: saving there asks before replacing it` : null;
    },
  });
}
setActionContext(ctx);
// The Electron shell and the Playwright tests reach the same commands.
Object.assign(window, { ivrStudio: { runAction, ctx } });

/** How long the page waits for the ?file= before it shows the app anyway (still opening it). */
const OPEN_WAIT_MS = 1500;

let opened: Promise<unknown> = Promise.resolve();
if (params.file) {
  opened = runAction('open', { path: params.file });
} else if (ctx.autosave) {
  // A new flow that was never saved, from an earlier session (whatever port it had): offered back.
  // Waited for like an opening file, so the first render already offers the recovery.
  const store = ctx.autosave;
  opened = store.list().then(async (list) => {
    const newest = list.find((a) => draftOfPath(a.path) !== null);
    const record = newest ? await store.read(newest.path) : null;
    if (record) ui.getState().set({ recovery: record });
  });
}
session.connect().catch(() => {});

// The first render already shows the opened file (index.html started reading it): drawing the start-up
// flow first and then the file would draw the page twice.
function render(): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AppContext.Provider value={ctx}>
        <App />
      </AppContext.Provider>
    </StrictMode>,
  );
}
const ready = Promise.all([opened.catch(() => {}), prefs.loaded]);
void Promise.race([ready, new Promise((r) => setTimeout(r, OPEN_WAIT_MS))]).then(render);
