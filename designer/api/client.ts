// The local server's API (docs/server-api.md): HTTP calls carry the token in a header, the WebSocket
// and <audio> URLs in the query. The token comes from the page URL and is kept in memory only.
import type { FlowDocument } from '../../compiler/flow/schema';
import type { Problem } from '../../compiler/flow/problems';
import type { OutboxEntry } from '../../runtime/mail/outbox';
import { takePreloaded } from './preload';
import { parseServerMessage, type ClientMessage, type ServerMessage } from '../../runtime/server/ws/protocol';

export type { OutboxEntry };

export interface FileInfo {
  path: string;
  name: string;
  modified: string | number;
  /** Why it cannot be opened (a JSON error with line:col, too large). */
  error?: string;
}

/** A 409's details: the file as it is on disk now. */
export interface Conflict {
  reason: 'exists' | 'changed' | 'deleted';
  /** The file that is in the way when it is not the flow itself (the folder's pbx.json). */
  file?: string;
  version?: string;
  modified?: string;
}

export interface WriteOptions {
  /** The version the document was based on: the server refuses the save (409) if the file changed since. */
  ifMatch?: string | null;
  /** The file must not exist yet (409 "exists" otherwise). */
  create?: boolean;
  /** The draft whose prompts move beside the flow on this save. */
  draft?: string | null;
  /** Save as from this file: the prompts it names are copied along. */
  from?: string | null;
}

export interface SampleInfo {
  id: string;
  name: string;
  description: string;
}

export interface ServerAutosave {
  path: string;
  savedAt: number;
  base: string | null;
  doc: unknown;
}

export interface LaunchParams {
  token: string;
  file: string | null;
}

/** `?token=…&file=callback/flow.json` from the page URL. */
export function readLaunchParams(search: string): LaunchParams {
  const q = new URLSearchParams(search);
  return { token: q.get('token') ?? '', file: q.get('file') || null };
}

/** An API error: the server's message, and its problems when it sent some. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly problems: Problem[] = [],
    readonly conflict: Conflict | null = null,
  ) {
    super(message);
  }
}

// The WebSocket protocol is declared once, for the server and the page (runtime/server/ws/protocol.ts).
export type { ClientMessage, ServerMessage } from '../../runtime/server/ws/protocol';

export interface Socket {
  send(message: ClientMessage): void;
  close(): void;
}

export class ApiClient {
  constructor(
    readonly token: string,
    private readonly base = '',
  ) {}

  info(): Promise<{ version: string; workspace: string; samples: string[] }> {
    return this.json('GET', '/api/info');
  }

  async listFiles(): Promise<FileInfo[]> {
    return (await this.json<{ files: FileInfo[] }>('GET', '/api/files')).files;
  }

  /** A flow as the server checked it (defaults filled in), with the file's modification time and version. */
  openFlow(path: string): Promise<{ flow: unknown; modified: string | number; version?: string }> {
    return this.json('GET', `/api/flow?path=${enc(path)}`);
  }

  /** Saves; a conflict (the file changed, or exists when creating) is an ApiError with status 409 and `conflict`. */
  writeFile(
    path: string,
    flow: FlowDocument,
    options: WriteOptions = {},
  ): Promise<{ ok: true; modified: string | number; version?: string }> {
    const q = `path=${enc(path)}${options.draft ? `&draft=${enc(options.draft)}` : ''}${options.from ? `&from=${enc(options.from)}` : ''}`;
    const headers: Record<string, string> = {};
    if (options.ifMatch) headers['If-Match'] = `"${options.ifMatch}"`;
    else if (options.create) headers['If-None-Match'] = '*';
    return this.json('PUT', `/api/file?${q}`, flow, headers);
  }

  async samples(): Promise<SampleInfo[]> {
    return (await this.json<{ samples: SampleInfo[] }>('GET', '/api/samples')).samples;
  }

  /** A draft for a new flow; from a sample, with its document and its prompts copied into the draft. */
  newDraft(sample?: string): Promise<{ id: string; path: string; flow?: unknown }> {
    return this.json('POST', '/api/draft', sample ? { sample } : {});
  }

  async readAutosave(path: string): Promise<ServerAutosave | null> {
    return (await this.json<{ autosave: ServerAutosave | null }>('GET', `/api/autosave?path=${enc(path)}`)).autosave;
  }

  async writeAutosave(path: string, doc: FlowDocument, base: string | null): Promise<void> {
    await this.json('PUT', `/api/autosave?path=${enc(path)}`, { doc, base });
  }

  async clearAutosave(path: string): Promise<void> {
    await this.json('DELETE', `/api/autosave?path=${enc(path)}`);
  }

  async listAutosaves(): Promise<{ path: string; savedAt: number; name: string }[]> {
    return (await this.json<{ autosaves: { path: string; savedAt: number; name: string }[] }>('GET', '/api/autosaves'))
      .autosaves;
  }

  async prefs(): Promise<Record<string, unknown>> {
    return (await this.json<{ prefs: Record<string, unknown> }>('GET', '/api/prefs')).prefs;
  }

  async savePrefs(prefs: Record<string, unknown>): Promise<void> {
    await this.json('PUT', '/api/prefs', prefs);
  }

  async exportTar(flow: FlowDocument, path: string): Promise<Blob> {
    const res = await this.request('POST', '/api/export', { flow, path });
    return res.blob();
  }

  /** `defaultLanguage` tells the server which language's files sit at the flow's root (unsaved change). */
  uploadPrompt(body: {
    path: string;
    prompt: string;
    language: string;
    wavBase64: string;
    defaultLanguage?: string;
  }): Promise<{ file: string; relative?: string }> {
    return this.json('POST', '/api/prompt', body);
  }

  /** A spoken placeholder from the prompt's text (mespeak on the server), stored where an import would be. */
  generatePrompt(body: {
    path: string;
    prompt: string;
    language: string;
    text: string;
    defaultLanguage?: string;
  }): Promise<{ file: string; relative: string }> {
    return this.json('POST', '/api/prompt/tts', body);
  }

  async outbox(): Promise<OutboxEntry[]> {
    return (await this.json<{ entries: OutboxEntry[] }>('GET', '/api/outbox')).entries;
  }

  /** Delivers a message again now (the outbox's retry, at once); the entry after that attempt. */
  async resendMessage(id: string): Promise<OutboxEntry> {
    return (await this.json<{ entry: OutboxEntry }>('POST', `/api/outbox/${enc(id)}/resend`)).entry;
  }

  /** Removes the sent and failed messages; what is left (queued ones). */
  async clearOutbox(): Promise<{ removed: number; entries: OutboxEntry[] }> {
    return this.json('DELETE', '/api/outbox');
  }

  outboxMessage(
    id: string,
  ): Promise<{ entry: OutboxEntry; eml: string; text: string; subject: string; from: string; to: string }> {
    return this.json('GET', `/api/outbox/message?id=${enc(id)}`);
  }

  /** For <audio src>: the token rides in the query (the cookie may be missing in some browsers). */
  audioUrl(path: string): string {
    return `${this.base}/api/audio?path=${enc(path)}${this.token ? `&token=${enc(this.token)}` : ''}`;
  }

  /** Opens the live socket; messages that are not JSON objects with a type are dropped. */
  connect(onMessage: (m: ServerMessage) => void, onClose: () => void): Promise<Socket> {
    const origin = this.base || `${location.protocol}//${location.host}`;
    // Without a token in the URL the server's cookie authenticates the socket.
    const url = `${origin.replace(/^http/, 'ws')}/api/ws${this.token ? `?token=${enc(this.token)}` : ''}`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      let opened = false;
      ws.onopen = () => {
        opened = true;
        resolve({ send: (m) => ws.send(JSON.stringify(m)), close: () => ws.close() });
      };
      ws.onmessage = (ev) => {
        const m = parseServerMessage(String(ev.data));
        if (m) onMessage(m);
      };
      ws.onerror = () => {
        if (!opened) reject(new ApiError('cannot reach the IVR Studio server (WebSocket)', 0));
      };
      ws.onclose = () => onClose();
    });
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<Response> {
    let res: Response;
    try {
      const preloaded = !this.base && body === undefined ? takePreloaded(method, path) : null;
      res = await (preloaded ??
        fetch(this.base + path, {
          method,
          headers: {
            ...(this.token ? { 'X-IVR-Token': this.token } : {}),
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...extraHeaders,
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        }));
    } catch (e) {
      throw new ApiError(`cannot reach the IVR Studio server: ${e instanceof Error ? e.message : String(e)}`, 0);
    }
    if (!res.ok) {
      let message = `${method} ${path.split('?')[0]}: HTTP ${res.status}`;
      let problems: Problem[] = [];
      let conflict: Conflict | null = null;
      try {
        const err = (await res.json()) as { error?: string; problems?: Problem[]; conflict?: Conflict };
        if (err.error) message = err.error;
        problems = err.problems ?? [];
        conflict = err.conflict ?? null;
      } catch {
        /* not JSON: keep the status line */
      }
      throw new ApiError(message, res.status, problems, conflict);
    }
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    return (await (await this.request(method, path, body, headers)).json()) as T;
  }
}

export { parseServerMessage };

function enc(s: string): string {
  return encodeURIComponent(s);
}

/** The file's modification time in ms, whatever form the server sends it in. */
export function modifiedMs(modified: string | number | undefined): number | null {
  if (typeof modified === 'number') return modified;
  if (typeof modified === 'string') {
    const t = Date.parse(modified);
    return Number.isNaN(t) ? null : t;
  }
  return null;
}
