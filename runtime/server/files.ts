// Disk helpers for the server: reading only regular files (a named pipe or a device in the workspace
// must never block a request), the workspace's flow files, and content versions.
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import { FLOW_FORMAT } from '../../compiler/flow';
import { loadFlow } from '../../compiler/flow/load';
import { HttpError } from './http';

export { writeAtomic } from '../fs/atomic';

export interface FlowFileInfo {
  /** Workspace-relative, `/` separators. */
  path: string;
  /** The flow's name. */
  name: string;
  /** ISO 8601 modification time. */
  modified: string;
  /** Why the file cannot be opened (a JSON error with line:col, too large …); absent when it can. */
  error?: string;
}

/** The default cap on a flow file (`ServerOptions.maxFlowBytes`, `serve --max-flow-size`). */
export const DEFAULT_MAX_FLOW_BYTES = 5 * 1024 * 1024;

// A workspace is a folder of flows, not a disk: keep the walk bounded.
const MAX_DEPTH = 8;
const MAX_ENTRIES = 20_000;
const SKIPPED = new Set(['node_modules', 'dist']);
/** How much of a file too large to read is looked at to tell whether it is a flow. */
const SNIFF_BYTES = 4096;

export function megabytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`;
}

export function tooLarge(path: string, size: number, limit: number): string {
  return `${path} is ${megabytes(size)}, more than the ${megabytes(limit)} limit for flows (serve --max-flow-size)`;
}

export interface RegularFile {
  bytes: Buffer;
  size: number;
  mtime: Date;
}

/**
 * Reads a regular file, refusing anything else without blocking: opened non-blocking (a FIFO with no
 * writer opens at once), then checked on the open handle, so nothing can swap it in between.
 * `limit`: files larger than this are refused with `tooLargeMessage` (413).
 */
export async function readRegular(
  full: string,
  shown: string,
  limit = Number.POSITIVE_INFINITY,
  tooLargeMessage?: (size: number) => string,
): Promise<RegularFile> {
  const handle = await open(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0)).catch(
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new HttpError(404, `no file ${shown} in the workspace`);
      if (err.code === 'EISDIR') throw new HttpError(400, `${shown} is a folder`);
      throw new HttpError(err.code === 'EACCES' ? 403 : 500, `cannot read ${shown}: ${err.code ?? err.message}`);
    },
  );
  try {
    const s = await handle.stat();
    if (s.isDirectory()) throw new HttpError(400, `${shown} is a folder`);
    if (!s.isFile()) throw new HttpError(400, `${shown} is not a regular file (a pipe, socket or device): not read`);
    if (s.size > limit) throw new HttpError(413, tooLargeMessage?.(s.size) ?? `${shown} is larger than ${limit} bytes`);
    const bytes = await handle.readFile();
    return { bytes, size: s.size, mtime: s.mtime };
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/** What a file's content is known by: saves carry it back (If-Match) so a stale one is refused. */
export function contentVersion(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, 24);
}

/** Every `*.json` under the workspace whose format is a flow (or that looks like a broken one); hidden folders and symlinks are skipped. */
export async function listFlowFiles(workspace: string, limit = DEFAULT_MAX_FLOW_BYTES): Promise<FlowFileInfo[]> {
  const found: FlowFileInfo[] = [];
  let seen = 0;
  async function walk(dir: string, rel: string, depth: number): Promise<void> {
    if (depth > MAX_DEPTH) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      if (++seen > MAX_ENTRIES) return;
      if (e.name.startsWith('.')) continue;
      const path = rel ? `${rel}/${e.name}` : e.name;
      const full = join(dir, e.name);
      if (e.isDirectory() && !SKIPPED.has(e.name)) await walk(full, path, depth + 1);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.json')) {
        const info = await flowFileInfo(full, path, limit);
        if (info) found.push(info);
      }
    }
  }
  await walk(workspace, '', 0);
  return found;
}

/** A JSON file is listed as a flow when it declares the format, or says it somewhere (a broken flow). */
const mentionsFormat = (text: string) => text.includes(FLOW_FORMAT);

async function flowFileInfo(full: string, path: string, limit: number): Promise<FlowFileInfo | null> {
  let file: RegularFile;
  try {
    file = await readRegular(full, path, limit);
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 413) return null;
    const head = await sniff(full);
    if (!head || !(mentionsFormat(head.text) || basename(path) === 'flow.json')) return null;
    return {
      path,
      name: basename(path, '.json'),
      modified: head.mtime.toISOString(),
      error: tooLarge(path, head.size, limit),
    };
  }
  const modified = file.mtime.toISOString();
  const text = file.bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    if (!mentionsFormat(text) && basename(path) !== 'flow.json') return null;
    const problem = loadFlow(text, path).problems[0];
    const where = problem?.line !== undefined ? `${problem.line}:${problem.column ?? 1}: ` : '';
    return { path, name: basename(path, '.json'), modified, error: `${where}${problem?.message ?? 'invalid JSON'}` };
  }
  if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== FLOW_FORMAT)
    return null;
  const name = (value as { name?: unknown }).name;
  return { path, name: typeof name === 'string' ? name : basename(path, '.json'), modified };
}

async function sniff(full: string): Promise<{ text: string; size: number; mtime: Date } | null> {
  try {
    const handle = await open(full, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    try {
      const s = await handle.stat();
      if (!s.isFile()) return null;
      const buf = Buffer.alloc(SNIFF_BYTES);
      const { bytesRead } = await handle.read(buf, 0, SNIFF_BYTES, 0);
      return { text: buf.subarray(0, bytesRead).toString('utf8'), size: s.size, mtime: s.mtime };
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}
