// The prompt library, per language: text (spoken placeholder), recordings (import a WAV), play.
import { memo, useState, type ChangeEvent } from 'react';
import { useApp, useFlow } from '../hooks/useApp';
import type { FlowDocument } from '../../compiler/flow/schema';

const NAME = /^[A-Za-z0-9_-]+$/;

function setPrompt(d: FlowDocument, name: string, recipe: (p: FlowDocument['prompts'][string]) => FlowDocument['prompts'][string]): FlowDocument {
  const old = d.prompts[name] ?? { files: {}, text: {} };
  return { ...d, prompts: { ...d.prompts, [name]: recipe(old) } };
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export const PromptsPanel = memo(function PromptsPanel() {
  const app = useApp();
  const prompts = useFlow((s) => s.doc.prompts);
  const languages = useFlow((s) => s.doc.languages);
  const defaultLanguage = useFlow((s) => s.doc.defaultLanguage);
  const path = useFlow((s) => s.path);
  const [language, setLanguage] = useState(defaultLanguage);
  const [newName, setNewName] = useState('');
  const lang = languages.includes(language) ? language : defaultLanguage;
  const change = (recipe: (d: FlowDocument) => FlowDocument, group?: string) => app.flow.getState().change(recipe, group);
  const folder = path && path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';

  const add = () => {
    const name = newName.trim();
    if (!NAME.test(name)) return app.ui.getState().notify('a prompt name is letters, digits, _ and - (it becomes a file name)', 'error');
    if (Object.hasOwn(prompts, name)) return app.ui.getState().notify(`there is already a prompt ${name}`, 'error');
    change((d) => setPrompt(d, name, (p) => p));
    setNewName('');
  };

  const importWav = async (name: string, e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file || !app.api) return;
    if (!path) return app.ui.getState().notify('save the flow first: recordings are stored next to the flow file', 'error');
    try {
      const r = await app.api.uploadPrompt({ path, prompt: name, language: lang, wavBase64: await toBase64(file), defaultLanguage });
      const relative = r.relative ?? (r.file.startsWith(folder) ? r.file.slice(folder.length) : r.file);
      change((d) => setPrompt(d, name, (p) => ({ ...p, files: { ...p.files, [lang]: relative } })));
      app.ui.getState().notify(`imported ${file.name} as ${relative}`);
    } catch (err) {
      app.ui.getState().notify(`import failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  };

  const play = (file: string) => {
    if (!app.api) return;
    new Audio(app.api.audioUrl(folder + file)).play().catch((err: unknown) =>
      app.ui.getState().notify(`cannot play ${file}: ${err instanceof Error ? err.message : String(err)}`, 'error'));
  };

  const names = Object.keys(prompts).sort();
  return (
    <div className="prompts" data-testid="prompts">
      <label className="field field--inline">
        <span className="field__label">Language</span>
        <select value={lang} onChange={(e) => setLanguage(e.target.value)}>
          {languages.map((l) => <option key={l} value={l}>{l}{l === defaultLanguage ? ' (default)' : ''}</option>)}
        </select>
      </label>
      <div className="add-row">
        <input type="text" value={newName} placeholder="NewPromptName" onChange={(e) => setNewName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && add()} />
        <button type="button" className="btn btn--small" onClick={add}>Add</button>
      </div>
      {names.length === 0 && <div className="muted small">No prompts yet.</div>}
      {names.map((name) => {
        const p = prompts[name]!;
        const file = p.files[lang];
        return (
          <div key={name} className="prompt-card">
            <div className="prompt-card__head">
              <span className="prompt-card__name">{name}</span>
              {file ? <button type="button" className="icon-btn" title={`Play ${file}`} onClick={() => play(file)}>▶</button> : <span className="warn small">no {lang} recording</span>}
              <label className="icon-btn file-btn" title="Import a WAV">
                ⇪<input type="file" accept=".wav,audio/wav" onChange={(e) => void importWav(name, e)} />
              </label>
            </div>
            <textarea rows={2} value={p.text[lang] ?? ''} placeholder={`What the ${lang} prompt says`}
              onChange={(e) => change((d) => setPrompt(d, name, (q) => ({ ...q, text: { ...q.text, [lang]: e.target.value } })), `prompt.${name}.${lang}`)} />
            {file && <div className="muted small mono">{file}</div>}
          </div>
        );
      })}
    </div>
  );
});
