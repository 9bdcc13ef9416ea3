// POST /api/deploy and its answer: server-sent events on the response (`event: NAME`, `data: JSON`).
// The deploy stops when the signal aborts the request.
import type { DeployEvent, DeployResult, TranscriptLine } from '../../../runtime/deploy';

export interface DeployBody {
  env: string;
  server: string;
  domain: string;
  user: string;
  password: string;
  via: 'pwd' | 'http';
  tls: 'auto' | 'require' | 'implicit' | 'off';
  dryRun: boolean;
  accounts: boolean;
  allowPlainPassword: boolean;
}

export interface EnvironmentSummary {
  env: string;
  programs: string[];
  languages: string[];
  files: { path: string; bytes: number }[];
  accounts: string[];
  warnings: string[];
}

export type DeployMessage =
  | { event: 'environment'; data: EnvironmentSummary }
  | { event: 'line'; data: TranscriptLine }
  | { event: 'progress'; data: DeployEvent }
  | { event: 'done'; data: DeployResult & { server: string } }
  | { event: 'failed'; data: { error: string; stored: string[] } };

export async function streamDeploy(
  token: string,
  body: DeployBody,
  onMessage: (m: DeployMessage) => void,
  signal: AbortSignal,
): Promise<void> {
  const res = await fetch('/api/deploy', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { 'X-IVR-Token': token } : {}) },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok || !res.body) {
    const text = await res.text();
    let message = `HTTP ${res.status}`;
    try {
      message = (JSON.parse(text) as { error?: string }).error ?? message;
    } catch {
      // not JSON: keep the status
    }
    throw new Error(message);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) onMessage({ event, data: JSON.parse(data) } as DeployMessage);
    }
  }
}
