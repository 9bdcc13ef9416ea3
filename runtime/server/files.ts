// Disk helpers for the server: atomic writes and the workspace's flow files.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { FLOW_FORMAT } from '../../compiler/flow';

export { writeAtomic } from '../fs/atomic';

export interface FlowFileInfo {
  /** Workspace-relative, `/` separators. */
  path: string;
  /** The flow's name. */
  name: string;
  /** ISO 8601 modification time. */
  modified: string;
}

// A workspace is a folder of flows, not a disk: keep the walk bounded.
const MAX_DEPTH = 8;
const MAX_ENTRIES = 20_000;
const MAX_FLOW_BYTES = 5 * 1024 * 1024;
const SKIPPED = new Set(['node_modules', 'dist']);

/** Every `*.json` under the workspace whose format is a flow; hidden folders and symlinks are skipped. */
export async function listFlowFiles(workspace: string): Promise<FlowFileInfo[]> {
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
        const info = await flowFileInfo(full, path);
        if (info) found.push(info);
      }
    }
  }
  await walk(workspace, '', 0);
  return found;
}

async function flowFileInfo(full: string, path: string): Promise<FlowFileInfo | null> {
  try {
    const s = await stat(full);
    if (s.size > MAX_FLOW_BYTES) return null;
    const value = JSON.parse(await readFile(full, 'utf8')) as unknown;
    if (typeof value !== 'object' || value === null || (value as { format?: unknown }).format !== FLOW_FORMAT)
      return null;
    const name = (value as { name?: unknown }).name;
    return { path, name: typeof name === 'string' ? name : basename(path, '.json'), modified: s.mtime.toISOString() };
  } catch {
    return null;
  }
}
