// Deploy…: the flow's environment onto a CommuniGate server, through the local server's
// POST /api/deploy (runtime/deploy does the work). Preview is a dry run: what would be created and
// stored, the account changes and every command. Deploy stores, with a progress bar per file, and
// ends with the result or the server's one-line answer. With "apply the account settings" a preview
// of the same settings comes first, so the changes are seen before they are made.
import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { DeployResult } from '../../../runtime/deploy';
import { useApp, useFlow } from '../../hooks/useApp';
import { isDirty } from '../../store/flowStore';
import { streamDeploy, type DeployBody, type DeployMessage, type EnvironmentSummary } from './stream';
import './DeployDialog.css';

/** Open or closed; the deploy action opens it. */
export const deployDialog = createStore<{ open: boolean }>()(() => ({ open: false }));

const SETTINGS_KEY = 'ivr-studio.deploy';
type Form = Omit<DeployBody, 'dryRun' | 'password'>;

interface Run {
  kind: 'preview' | 'deploy';
  state: 'running' | 'done' | 'failed';
  environment: EnvironmentSummary | null;
  plan: { path: string; why: string; bytes: number }[] | null;
  unchanged: number;
  progress: { index: number; total: number; path: string } | null;
  accounts: { account: string; lines: string[] }[] | null;
  conversation: string[];
  result: (DeployResult & { server: string }) | null;
  error: string | null;
  /** The settings it ran with: Deploy after a preview of the same ones may apply the accounts. */
  key: string;
}

export function DeployDialog() {
  const open = useStore(deployDialog, (s) => s.open);
  return open ? <Dialog /> : null;
}

function Dialog() {
  const app = useApp();
  const path = useFlow((s) => s.path);
  const dirty = useFlow(isDirty);
  const domainOfFlow = useFlow((s) => s.doc.environment.domain);
  const titleId = useId();
  const [form, setForm] = useState<Form>(() => initialForm(app.storage, path, domainOfFlow));
  const [password, setPassword] = useState('');
  const [run, setRun] = useState<Run | null>(null);
  const abort = useRef<AbortController | null>(null);
  const box = useRef<HTMLDivElement>(null);
  const close = () => {
    abort.current?.abort();
    deployDialog.setState({ open: false });
  };
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input[data-first]')?.focus();
    return () => abort.current?.abort();
  }, []);
  const runningRef = useRef(false);
  runningRef.current = run?.state === 'running';
  useEffect(() => {
    // Escape also when the focus left the dialog (a pressed button that became disabled)
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== 'Escape' || box.current?.contains(e.target as Node)) return;
      if (runningRef.current) abort.current?.abort();
      else deployDialog.setState({ open: false });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const running = run?.state === 'running';
  const key = JSON.stringify(form);
  const missing = (['env', 'server', 'domain', 'user'] as const).filter((f) => form[f].trim() === '');
  const blocked =
    path === null
      ? 'Save the flow first: the deploy reads the saved files.'
      : dirty
        ? 'Save your changes first (Ctrl+S): the deploy reads the saved files.'
        : missing.length > 0
          ? `Fill in: ${missing.join(', ')}.`
          : password === ''
            ? 'Type the password.'
            : null;
  const previewed = run?.kind === 'preview' && run.state === 'done' && run.key === key;
  const deployBlocked =
    blocked ??
    (form.accounts && !previewed ? 'Preview first: the account changes are shown before they are made.' : null);

  const start = async (kind: Run['kind']) => {
    if (!app.api) return;
    saveForm(app.storage, form);
    const controller = new AbortController();
    abort.current = controller;
    const fresh: Run = {
      kind,
      state: 'running',
      environment: null,
      plan: null,
      unchanged: 0,
      progress: null,
      accounts: null,
      conversation: [],
      result: null,
      error: null,
      key,
    };
    setRun(fresh);
    const update = (m: DeployMessage) => setRun((r) => (r ? apply(r, m) : r));
    try {
      await streamDeploy(app.api.token, { ...form, password, dryRun: kind === 'preview' }, update, controller.signal);
      setRun((r) =>
        r && r.state === 'running'
          ? { ...r, state: 'failed', error: 'the server ended the deploy without a result' }
          : r,
      );
    } catch (e) {
      const stopped = controller.signal.aborted;
      setRun((r) =>
        r && r.state === 'running'
          ? { ...r, state: 'failed', error: stopped ? 'stopped' : e instanceof Error ? e.message : String(e) }
          : r,
      );
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      if (running) abort.current?.abort();
      else close();
    }
  };
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a press outside the dialog closes it (Escape does from the keyboard)
    <div className="dialog-backdrop" role="presentation" onMouseDown={() => !running && close()}>
      <div
        ref={box}
        className="dialog deploy-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
        data-testid="deploy-dialog"
      >
        <h2 id={titleId}>Deploy to CommuniGate Pro</h2>
        <p className="panel-hint">
          Uploads the environment to the domain's PBX through the server's CLI. Only files that changed are stored;
          nothing on the server is deleted.
        </p>
        <div className="form form--compact">
          <div className="field-row">
            <Text
              label="Environment"
              hint="a flow's folder, or . for the whole workspace"
              value={form.env}
              onChange={(v) => set('env', v)}
              testId="deploy-env"
            />
            <Text
              label="Server"
              hint="host or host:port"
              value={form.server}
              onChange={(v) => set('server', v)}
              testId="deploy-server"
              first
            />
          </div>
          <div className="field-row">
            <Text label="Domain" value={form.domain} onChange={(v) => set('domain', v)} testId="deploy-domain" />
            <Text label="Administrator" value={form.user} onChange={(v) => set('user', v)} testId="deploy-user" />
            <label className="field">
              <span className="field__label">Password</span>
              <input
                type="password"
                value={password}
                autoComplete="current-password"
                onChange={(e) => setPassword(e.target.value)}
                onKeyDown={(e) => e.key === 'Enter' && !blocked && !running && void start('preview')}
                data-testid="deploy-password"
              />
            </label>
          </div>
          <div className="field-row">
            <label className="field">
              <span className="field__label">Connection</span>
              <select
                value={form.via}
                onChange={(e) => set('via', e.target.value as Form['via'])}
                data-testid="deploy-via"
              >
                <option value="pwd">CLI (PWD, port 106)</option>
                <option value="http">WebAdmin /CLI/ (HTTP)</option>
              </select>
            </label>
            <label className="field">
              <span className="field__label">TLS</span>
              <select
                value={form.tls}
                onChange={(e) => set('tls', e.target.value as Form['tls'])}
                data-testid="deploy-tls"
              >
                <option value="auto">when offered</option>
                <option value="require">required</option>
                <option value="implicit">TLS port</option>
                <option value="off">off</option>
              </select>
            </label>
          </div>
          <Check
            label="Also apply the account settings (language, divert rules)"
            checked={form.accounts}
            onChange={(v) => set('accounts', v)}
            testId="deploy-accounts-check"
          />
          <Check
            label="Allow the password in clear text (no TLS and no secure login)"
            checked={form.allowPlainPassword}
            onChange={(v) => set('allowPlainPassword', v)}
            testId="deploy-plain"
          />
        </div>
        <div className="button-row">
          <button
            type="button"
            className="btn"
            disabled={!!blocked || running}
            onClick={() => void start('preview')}
            data-testid="deploy-preview"
          >
            Preview
          </button>
          <button
            type="button"
            className="btn btn--primary"
            disabled={!!deployBlocked || running}
            onClick={() => void start('deploy')}
            data-testid="deploy-start"
          >
            Deploy
          </button>
          {running && (
            <button
              type="button"
              className="btn btn--danger"
              onClick={() => abort.current?.abort()}
              data-testid="deploy-stop"
            >
              Stop
            </button>
          )}
          <button type="button" className="btn" onClick={close} data-testid="deploy-close">
            Close
          </button>
        </div>
        {(deployBlocked ?? null) && !running && (
          <p className="small muted" data-testid="deploy-blocked">
            {deployBlocked}
          </p>
        )}
        {run && <RunView run={run} />}
      </div>
    </div>
  );
}

function RunView({ run }: { run: Run }) {
  const env = run.environment;
  return (
    <div className="deploy-run" data-testid="deploy-run">
      {env && (
        <p className="small" data-testid="deploy-environment">
          {env.env}: {env.programs.join(', ') || 'no program'}; {env.files.length} files
          {env.languages.length ? `, languages: ${env.languages.join(', ')}` : ''}
        </p>
      )}
      {run.state === 'running' && (
        <div className="deploy-progress" data-testid="deploy-progress">
          <progress value={run.progress?.index ?? 0} max={run.progress?.total ?? 1} />
          <span className="small">
            {run.progress
              ? `${run.progress.index}/${run.progress.total} ${run.progress.path}`
              : run.kind === 'preview'
                ? 'reading the server…'
                : 'connecting…'}
          </span>
        </div>
      )}
      {run.state === 'done' && run.result && (
        <p className="deploy-result" role="status" data-testid="deploy-result">
          {resultLine(run.result)}
        </p>
      )}
      {run.state === 'failed' && (
        <p className="deploy-error" role="alert" data-testid="deploy-error">
          {run.error}
        </p>
      )}
      {run.plan && (
        <Section
          title={`${run.kind === 'preview' ? 'To store' : 'Stored'}: ${run.plan.length}${run.unchanged ? `, ${run.unchanged} unchanged` : ''}`}
          testId="deploy-plan"
        >
          <ul className="deploy-list">
            {run.plan.map((f) => (
              <li key={f.path}>
                {f.path}{' '}
                <span className="muted">
                  ({WHY[f.why] ?? f.why}, {f.bytes.toLocaleString('en')} bytes)
                </span>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {run.accounts && run.accounts.length > 0 && (
        <Section title="Account changes" testId="deploy-accounts">
          <ul className="deploy-list">
            {run.accounts.map((a) => (
              <li key={a.account}>
                <b>{a.account}</b>
                <ul>
                  {a.lines.map((l) => (
                    <li key={l}>{l}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </Section>
      )}
      {run.conversation.length > 0 && (
        <details className="deploy-conversation">
          <summary>The CLI conversation ({run.conversation.length} lines)</summary>
          <pre data-testid="deploy-conversation">{run.conversation.join('\n')}</pre>
        </details>
      )}
    </div>
  );
}

const WHY: Record<string, string> = { new: 'new', size: 'size differs', content: 'contents differ' };

function apply(r: Run, m: DeployMessage): Run {
  switch (m.event) {
    case 'environment':
      return { ...r, environment: m.data };
    case 'line':
      return { ...r, conversation: [...r.conversation, `${m.data.from === 'client' ? 'C' : 'S'}: ${m.data.text}`] };
    case 'done':
      return { ...r, state: 'done', result: m.data, accounts: m.data.accounts };
    case 'failed':
      return { ...r, state: 'failed', error: m.data.error };
    case 'progress': {
      const e = m.data;
      if (e.type === 'not sent')
        return { ...r, conversation: [...r.conversation, `C: ${e.command}   (dry run: not sent)`] };
      if (e.type === 'plan') return { ...r, plan: e.store, unchanged: e.unchanged.length };
      if (e.type === 'file') return { ...r, progress: { index: e.index, total: e.total, path: e.path } };
      if (e.type === 'accounts') return { ...r, accounts: e.changes };
      return r;
    }
  }
}

function resultLine(r: DeployResult & { server: string }): string {
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const parts = [
    ...(r.created.length ? [`${r.dryRun ? 'would create' : 'created'} ${r.created.join(' and ')}`] : []),
    `${r.dryRun ? 'would store' : 'stored'} ${files(r.dryRun ? r.planned.length : r.stored.length)}`,
    `${r.unchanged.length} unchanged`,
    ...(r.accounts.length
      ? [`${r.dryRun ? 'would change' : 'changed'} ${r.accounts.length} account${r.accounts.length === 1 ? '' : 's'}`]
      : []),
  ];
  return `${r.server}: ${r.dryRun ? 'preview, nothing changed: ' : ''}${parts.join(', ')}`;
}

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <section className="deploy-section" data-testid={testId}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Text(props: {
  label: string;
  hint?: string;
  value: string;
  onChange(v: string): void;
  testId: string;
  first?: boolean;
}) {
  return (
    <label className="field">
      <span className="field__label">{props.label}</span>
      <input
        type="text"
        value={props.value}
        spellCheck={false}
        onChange={(e) => props.onChange(e.target.value)}
        data-testid={props.testId}
        data-first={props.first ? '' : undefined}
      />
      {props.hint && <span className="field__hint">{props.hint}</span>}
    </label>
  );
}

function Check(props: { label: string; checked: boolean; onChange(v: boolean): void; testId: string }) {
  return (
    <label className="field field--check">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(e) => props.onChange(e.target.checked)}
        data-testid={props.testId}
      />
      <span>{props.label}</span>
    </label>
  );
}

type Storage = { getItem(k: string): string | null; setItem(k: string, v: string): void } | null;

/** The last server, domain and user are remembered (never the password); the environment follows the flow. */
function initialForm(storage: Storage, path: string | null, domain: string): Form {
  let saved: Partial<Form> = {};
  try {
    saved = JSON.parse(storage?.getItem(SETTINGS_KEY) ?? '{}') as Partial<Form>;
  } catch {
    saved = {};
  }
  const folder = path === null ? '.' : path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
  return {
    env: folder,
    server: saved.server ?? '',
    domain: saved.domain ?? domain,
    user: saved.user ?? 'postmaster',
    via: saved.via ?? 'pwd',
    tls: saved.tls ?? 'auto',
    accounts: false,
    allowPlainPassword: saved.allowPlainPassword ?? false,
  };
}

function saveForm(storage: Storage, form: Form): void {
  try {
    const { server, domain, user, via, tls, allowPlainPassword } = form;
    storage?.setItem(SETTINGS_KEY, JSON.stringify({ server, domain, user, via, tls, allowPlainPassword }));
  } catch {
    // storage full or off: remembering the settings is a convenience
  }
}
