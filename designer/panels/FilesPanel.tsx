// Workspace flows: open one, start a new one, save, save as.
import { memo, useCallback, useEffect, useState } from 'react';
import { runAction } from '../actions';
import type { FileInfo } from '../api/client';
import { useApp, useFlow } from '../hooks/useApp';

export const FilesPanel = memo(function FilesPanel() {
  const app = useApp();
  const current = useFlow((s) => s.path);
  const [files, setFiles] = useState<FileInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    if (!app.api) return setError('not connected to the server');
    app.api.listFiles().then(
      (f) => {
        setFiles([...f].sort((a, b) => a.path.localeCompare(b.path)));
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [app]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: list again when another file is opened
  useEffect(() => {
    refresh();
  }, [refresh, current]);

  return (
    <div className="files" data-testid="files">
      <div className="button-row">
        <button type="button" className="btn btn--small" onClick={() => void runAction('newFlow')}>
          New
        </button>
        <button type="button" className="btn btn--small" onClick={() => void runAction('save')}>
          Save
        </button>
        <button type="button" className="btn btn--small" onClick={() => void runAction('saveAs')}>
          Save as…
        </button>
        <button type="button" className="btn btn--small" onClick={refresh} title="Refresh">
          ⟳
        </button>
      </div>
      {error && <div className="sev-error small">{error}</div>}
      {files && files.length === 0 && <div className="muted small">No flows in the workspace yet.</div>}
      <ul className="file-list">
        {files?.map((f) => (
          <li key={f.path}>
            <button
              type="button"
              className={`file-item${f.path === current ? ' is-current' : ''}`}
              onClick={() => void runAction('open', { path: f.path })}
              data-testid={`file-${f.path}`}
            >
              <span className="file-item__name">{f.name}</span>
              <span className="file-item__path">{f.path}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
});
