// Keeps the document on the server (autosave) shortly after each change; warns before leaving unsaved
// work; keeps the window title as "name • — IVR Studio".
import { useEffect } from 'react';
import { useApp, useFlow } from './useApp';
import { isDirty, promptHome } from '../store/flowStore';

const DELAY_MS = 600;

export function useAutosave(): void {
  const app = useApp();
  const doc = useFlow((s) => s.doc);
  const path = useFlow((s) => s.path);
  const draft = useFlow((s) => s.draft);
  const version = useFlow((s) => s.version);
  const dirty = useFlow(isDirty);

  useEffect(() => {
    const key = promptHome({ path, draft });
    if (!dirty || !app.autosave || !key) return;
    const t = window.setTimeout(() => void app.autosave!.write(key, doc, version), DELAY_MS);
    return () => window.clearTimeout(t);
  }, [app, doc, path, draft, version, dirty]);

  useEffect(() => {
    const file = path ? path.split('/').slice(-2).join('/') : `${doc.name} (unsaved)`;
    document.title = `${file}${dirty ? ' •' : ''} — IVR Studio`;
  }, [doc.name, path, dirty]);

  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
}
