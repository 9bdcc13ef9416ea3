// The prompt library, per language: text (spoken placeholder), recordings (import a WAV, or generate
// one from the text so a flow is audible before anyone records it), play.
import { memo, useState, type ChangeEvent } from 'react';
import { useApp, useFlow } from '../hooks/useApp';
import type { FlowDocument } from '../../compiler/flow/schema';
import type { ApiClient } from '../api/client';
import { promptHome, type FlowStore } from '../store/flowStore';

const NAME = /^[A-Za-z0-9_-]+$/;

function setPrompt(
  d: FlowDocument,
  name: string,
  recipe: (p: FlowDocument['prompts'][string]) => FlowDocument['prompts'][string],
): FlowDocument {
  const old = d.prompts[name] ?? { files: {}, text: {} };
  return { ...d, prompts: { ...d.prompts, [name]: recipe(old) } };
}

async function toBase64(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Speaks the prompt's current text on the server and points the prompt at the new file, as one undoable
 * change. Returns the file, relative to the flow's folder.
 * @example await generatePlaceholder(api, flowStore, { path: 'callback/flow.json', prompt: 'Welcome', language: 'english' })
 */
export async function generatePlaceholder(
  api: Pick<ApiClient, 'generatePrompt'>,
  flow: FlowStore,
  target: { path: string; prompt: string; language: string },
): Promise<string> {
  const { doc } = flow.getState();
  const text = doc.prompts[target.prompt]?.text[target.language]?.trim() ?? '';
  const r = await api.generatePrompt({ ...target, text, defaultLanguage: doc.defaultLanguage });
  flow
    .getState()
    .change((d) =>
      setPrompt(d, target.prompt, (p) => ({ ...p, files: { ...p.files, [target.language]: r.relative } })),
    );
  return r.relative;
}

export const PromptsPanel = memo(function PromptsPanel() {
  const app = useApp();
  const prompts = useFlow((s) => s.doc.prompts);
  const languages = useFlow((s) => s.doc.languages);
  const defaultLanguage = useFlow((s) => s.doc.defaultLanguage);
  // A flow never saved keeps its recordings in its draft; they move beside the flow on its first save.
  const path = useFlow((s) => promptHome(s));
  const [language, setLanguage] = useState(defaultLanguage);
  const [newName, setNewName] = useState('');
  /** `prompt/language` pairs being generated: their buttons wait. */
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());
  const lang = languages.includes(language) ? language : defaultLanguage;
  const change = (recipe: (d: FlowDocument) => FlowDocument, group?: string) =>
    app.flow.getState().change(recipe, group);
  const folder = path?.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';

  const add = () => {
    const name = newName.trim();
    if (!NAME.test(name))
      return app.ui.getState().notify('a prompt name is letters, digits, _ and - (it becomes a file name)', 'error');
    if (Object.hasOwn(prompts, name)) return app.ui.getState().notify(`there is already a prompt ${name}`, 'error');
    change((d) => setPrompt(d, name, (p) => p));
    setNewName('');
  };

  const importWav = async (name: string, e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file || !app.api || !path) return;
    try {
      const r = await app.api.uploadPrompt({
        path,
        prompt: name,
        language: lang,
        wavBase64: await toBase64(file),
        defaultLanguage,
      });
      const relative = r.relative ?? (r.file.startsWith(folder) ? r.file.slice(folder.length) : r.file);
      change((d) => setPrompt(d, name, (p) => ({ ...p, files: { ...p.files, [lang]: relative } })));
      app.ui.getState().notify(`imported ${file.name} as ${relative}`);
    } catch (err) {
      app.ui.getState().notify(`import failed: ${err instanceof Error ? err.message : String(err)}`, 'error');
    }
  };

  const generate = async (name: string, language: string): Promise<boolean> => {
    const text = app.flow.getState().doc.prompts[name]?.text[language]?.trim();
    if (!app.api || !text || !path) return false;
    const key = `${name}/${language}`;
    setBusy((b) => new Set(b).add(key));
    try {
      await generatePlaceholder(app.api, app.flow, { path, prompt: name, language });
      return true;
    } catch (err) {
      app.ui
        .getState()
        .notify(`cannot generate ${name} (${language}): ${err instanceof Error ? err.message : String(err)}`, 'error');
      return false;
    } finally {
      setBusy((b) => {
        const next = new Set(b);
        next.delete(key);
        return next;
      });
    }
  };

  // One at a time: each is a synthesis process on the server.
  const generateMissing = async (names: string[]) => {
    let made = 0;
    for (const name of names) {
      if (!(await generate(name, lang))) break;
      made++;
    }
    if (made > 0)
      app.ui.getState().notify(`generated ${made} ${lang} placeholder${made === 1 ? '' : 's'} from the prompt text`);
  };

  const play = (file: string) => {
    if (!app.api) return;
    new Audio(app.api.audioUrl(folder + file))
      .play()
      .catch((err: unknown) =>
        app.ui.getState().notify(`cannot play ${file}: ${err instanceof Error ? err.message : String(err)}`, 'error'),
      );
  };

  const names = Object.keys(prompts).sort();
  const missing = names.filter((n) => !prompts[n]!.files[lang] && prompts[n]!.text[lang]?.trim());
  return (
    <div className="prompts" data-testid="prompts">
      <label className="field field--inline">
        <span className="field__label">Language</span>
        <select value={lang} onChange={(e) => setLanguage(e.target.value)}>
          {languages.map((l) => (
            <option key={l} value={l}>
              {l}
              {l === defaultLanguage ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </label>
      <div className="add-row">
        <input
          type="text"
          value={newName}
          placeholder="NewPromptName"
          onChange={(e) => setNewName(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && add()}
        />
        <button type="button" className="btn btn--small" onClick={add}>
          Add
        </button>
      </div>
      {missing.length > 1 && (
        <button
          type="button"
          className="btn btn--small"
          disabled={busy.size > 0}
          data-testid="generate-missing"
          title={`Speak the text of every ${lang} prompt that has no recording`}
          onClick={() => void generateMissing(missing)}
        >
          Generate {missing.length} missing from text
        </button>
      )}
      {names.length === 0 && <div className="muted small">No prompts yet.</div>}
      {names.map((name) => {
        const p = prompts[name]!;
        const file = p.files[lang];
        const hasText = !!p.text[lang]?.trim();
        const generating = busy.has(`${name}/${lang}`);
        return (
          <div key={name} className="prompt-card">
            <div className="prompt-card__head">
              <span className="prompt-card__name">{name}</span>
              {file ? (
                <button type="button" className="icon-btn" title={`Play ${file}`} onClick={() => play(file)}>
                  ▶
                </button>
              ) : (
                <span className="warn small">no {lang} recording</span>
              )}
              <label className="icon-btn file-btn" title="Import a WAV">
                ⇪<input type="file" accept=".wav,audio/wav" onChange={(e) => void importWav(name, e)} />
              </label>
            </div>
            <textarea
              rows={2}
              value={p.text[lang] ?? ''}
              placeholder={`What the ${lang} prompt says`}
              onChange={(e) =>
                change(
                  (d) => setPrompt(d, name, (q) => ({ ...q, text: { ...q.text, [lang]: e.target.value } })),
                  `prompt.${name}.${lang}`,
                )
              }
            />
            {file && <div className="muted small mono">{file}</div>}
            {!file && (
              // The title sits on a wrapper too: some browsers show no tooltip for a disabled button.
              <span
                className="prompt-card__generate"
                title={
                  hasText
                    ? `Speak the ${lang} text into a placeholder recording until a real one is made`
                    : `Write what the ${lang} prompt says first`
                }
              >
                <button
                  type="button"
                  className="btn btn--small"
                  data-testid={`generate-${name}`}
                  disabled={!hasText || generating}
                  onClick={() => void generate(name, lang)}
                >
                  {generating ? 'Generating…' : 'Generate from text'}
                </button>
              </span>
            )}
          </div>
        );
      })}
    </div>
  );
});
