// Writes the document to localStorage shortly after each change; warns before leaving unsaved work;
// keeps the window title as "name • — IVR Studio".
import { useEffect } from 'react';
import { useApp, useFlow } from './useApp';
import { isDirty } from '../store/flowStore';
import { writeAutosave } from '../store/autosave';

const DELAY_MS = 600;

export function useAutosave(): void {
  const app = useApp();
  const doc = useFlow((s) => s.doc);
  const path = useFlow((s) => s.path);
  const dirty = useFlow(isDirty);

  useEffect(() => {
    if (!dirty || !app.storage) return;
    const t = window.setTimeout(() => writeAutosave(app.storage!, { path, savedAt: Date.now(), doc }), DELAY_MS);
    return () => window.clearTimeout(t);
  }, [app, doc, path, dirty]);

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
