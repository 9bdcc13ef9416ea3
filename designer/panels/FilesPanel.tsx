// Workspace flows: open one (a file that cannot be opened says why), start a new one, blank or from a
// sample (a copy: the shipped samples are never saved over), save, save as.
import { memo, useCallback, useEffect, useState } from 'react';
import { runAction } from '../actions';
import type { FileInfo, SampleInfo } from '../api/client';
import { useApp, useFlow } from '../hooks/useApp';

export const FilesPanel = memo(function FilesPanel() {
  const app = useApp();
  const current = useFlow((s) => s.path);
  const [files, setFiles] = useState<FileInfo[] | null>(null);
  const [samples, setSamples] = useState<SampleInfo[]>([]);
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

  useEffect(() => {
    app.api?.samples().then(setSamples, () => setSamples([]));
  }, [app]);

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
        <button
          type="button"
          className="btn btn--small"
          onClick={refresh}
          title="Refresh"
          aria-label="Refresh the list"
        >
          ⟳
        </button>
      </div>
      {error && <div className="sev-error small">{error}</div>}
      <h3 className="panel-title">In your workspace</h3>
      {files && files.length === 0 && <div className="muted small">No flows in the workspace yet.</div>}
      <ul className="file-list">
        {files?.map((f) => (
          <li key={f.path}>
            <button
              type="button"
              className={`file-item${f.path === current ? ' is-current' : ''}${f.error ? ' has-error' : ''}`}
              onClick={() =>
                f.error
                  ? app.ui.getState().notify(`cannot open ${f.path}: ${f.error}`, 'error')
                  : void runAction('open', { path: f.path })
              }
              aria-current={f.path === current ? 'true' : undefined}
              data-testid={`file-${f.path}`}
            >
              <span className="file-item__name">{f.name}</span>
              <span className="file-item__path">{f.path}</span>
              {f.error && (
                <span className="file-item__error sev-error" data-testid="file-error">
                  {f.error}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {samples.length > 0 && (
        <>
          <h3 className="panel-title">New from sample</h3>
          <ul className="file-list">
            {samples.map((s) => (
              <li key={s.id}>
                <button
                  type="button"
                  className="file-item"
                  onClick={() => void runAction('newFromSample', { sample: s.id })}
                  data-testid={`sample-${s.id}`}
                  title="A copy of the sample, with its prompts: Save puts it in your workspace"
                >
                  <span className="file-item__name">{s.name}</span>
                  <span className="file-item__path">{s.description || 'sample'}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
});
