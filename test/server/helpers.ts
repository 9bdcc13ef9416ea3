// A server on port 0 over a temporary copy of the samples whose prompts are 0.1 s long (test calls
// run on the real clock), plus small HTTP and WebSocket clients, and the live-call session most
// WebSocket tests share (useLiveSession).
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import WebSocket from 'ws';
import { startServer, SAMPLES_DIR, type RunningServer, type ServerOptions } from '../../runtime/server';
import { wavBytes } from '../call/wav';

export interface TestServer extends RunningServer {
  workspace: string;
  /** fetch with the token header (unless headers say otherwise). */
  api(path: string, init?: RequestInit): Promise<Response>;
  json(path: string, body: unknown, method?: string): Promise<Response>;
  dispose(): Promise<void>;
}

/** A copy of samples/ with every WAV replaced by 100 ms of silence. */
export async function makeWorkspace(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ivr-server-test-'));
  const workspace = join(root, 'workspace');
  await cp(SAMPLES_DIR, workspace, { recursive: true, filter: (src) => !src.includes('.outbox') });
  await shortenPrompts(workspace);
  return workspace;
}

async function shortenPrompts(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) await shortenPrompts(full);
    else if (e.name.toLowerCase().endsWith('.wav')) await writeFile(full, wavBytes(100));
  }
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const workspace = options.workspace ?? (await makeWorkspace());
  const server = await startServer({ workspace, outboxDir: join(workspace, '..', 'outbox'), ...options });
  const api = (path: string, init: RequestInit = {}) =>
    fetch(server.url + path, {
      ...init,
      headers: { 'X-IVR-Token': server.token, ...(init.headers as Record<string, string> | undefined) },
    });
  return {
    ...server,
    workspace,
    api,
    json: (path, body, method = 'POST') =>
      api(path, { method, body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }),
    async dispose() {
      await server.close();
      await rm(join(workspace, '..'), { recursive: true, force: true });
    },
  };
}

/** A flow file as saved in the test server's workspace (the callback sample unless told). */
export async function readSavedFlow<T = unknown>(server: TestServer, path = 'callback/flow.json'): Promise<T> {
  return JSON.parse(await readFile(join(server.workspace, path), 'utf8')) as T;
}

export type Message = Record<string, unknown> & { type: string };

/** A WebSocket client that keeps every message and can wait for one. */
export class TestSocket {
  readonly messages: Message[] = [];
  private waiters: { test: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as Message;
      this.messages.push(m);
      this.waiters = this.waiters.filter((w) => {
        if (!w.test(m)) return true;
        w.resolve(m);
        return false;
      });
    });
  }

  static open(server: RunningServer, headers: Record<string, string> = {}): Promise<TestSocket> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/ws?token=${server.token}`, { headers });
      ws.once('open', () => resolve(new TestSocket(ws)));
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Sends `message` and waits for the first of `types` that arrives after it. */
  ask(message: unknown, types: string[], timeoutMs = 8000): Promise<Message> {
    const before = this.messages.length;
    this.send(message);
    return this.waitFor(
      (m) => this.messages.indexOf(m) >= before && types.includes(m.type),
      timeoutMs,
      types.join(' or '),
    );
  }

  /** The first message (already received or still to come) that passes `test`. */
  waitFor(test: (m: Message) => boolean, timeoutMs = 8000, what = 'a message'): Promise<Message> {
    const seen = this.messages.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `timed out waiting for ${what}; got: ${this.messages.map((m) => m.type + (m.type === 'call.trace' ? `:${(m.event as { kind: string }).kind}` : '')).join(', ')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        test,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  close(): void {
    this.ws.terminate();
  }
}

export const isTrace = (callId: unknown, kind: string) => (m: Message) =>
  m.type === 'call.trace' && m.callId === callId && (m.event as { kind?: string }).kind === kind;

/** The status a WebSocket upgrade is refused with (0 when it is accepted). */
export function upgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => {
      ws.terminate();
      resolve(0);
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? -1);
      res.resume();
    });
    ws.once('error', () => resolve(-1));
  });
}

export interface LiveSession {
  server: TestServer;
  /** The socket the tests talk on; others can be opened with TestSocket.open(server). */
  socket: TestSocket;
  /** callback/flow.json as saved in the workspace. */
  flow: unknown;
  /** call.start of the callback flow (fields in `extra` win); the call.started or call.error answering it. */
  startCall(extra?: Record<string, unknown>, on?: TestSocket): Promise<Message>;
}

/**
 * For a test file's top level: a server over a fresh workspace and one open socket before its tests,
 * both closed after them. The fields are set once beforeAll has run.
 * @example const live = useLiveSession(); it('…', async () => { const { callId } = await live.startCall(); });
 */
export function useLiveSession(): LiveSession {
  const session = {
    startCall: (extra = {}, on = session.socket) =>
      on.ask({ type: 'call.start', flow: session.flow, path: 'callback/flow.json', ...extra }, [
        'call.started',
        'call.error',
      ]),
  } as LiveSession;
  beforeAll(async () => {
    session.server = await startTestServer();
    session.socket = await TestSocket.open(session.server);
    session.flow = await readSavedFlow(session.server);
  });
  afterAll(async () => {
    session.socket?.close();
    await session.server?.dispose();
  });
  return session;
}
