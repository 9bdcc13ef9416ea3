// A flow folder with a pbx.json keeps its PBX environment there, not in flow.json. The designer edits
// one document (`flow.environment`): the file routes hand it the folder's environment when a flow is
// opened and, when it is saved, write the environment back to pbx.json and the flow without it.
// A save writes both files, so the version a save is checked against (routes/files.ts) covers both.
import { dirname, join } from 'node:path';
import type { FlowDocument } from '../../compiler/flow/schema';
import { PBX_FILE, PBX_FORMAT, type PbxEnvironment } from '../../compiler/flow/pbx';
import type { Problem } from '../../compiler/flow/problems';
import { parsePbxText } from '../call/pbxFile';
import { readRegular } from './files';
import { HttpError } from './http';

/** The pbx.json beside a flow, as read for one request. */
export interface FolderPbx {
  full: string;
  /** Workspace-relative, for messages. */
  shown: string;
  bytes: Buffer;
  mtime: Date;
  /** Null when the file has errors (`problems`). */
  pbx: PbxEnvironment | null;
  problems: Problem[];
}

/** The folder's pbx.json of the flow at `flowFull` (`flowShown` workspace-relative); null when there is none. */
export async function readFolderPbx(flowFull: string, flowShown: string, limit: number): Promise<FolderPbx | null> {
  const full = join(dirname(flowFull), PBX_FILE);
  const slash = flowShown.lastIndexOf('/');
  const shown = (slash >= 0 ? flowShown.slice(0, slash + 1) : '') + PBX_FILE;
  // Only a regular file, read without blocking (a FIFO named pbx.json must not hang the request).
  const file = await readRegular(full, shown, limit).catch((err: unknown) => {
    if (err instanceof HttpError && err.status === 404) return null;
    throw err;
  });
  if (!file) return null;
  const { pbx, problems } = parsePbxText(file.bytes.toString('utf8'), shown);
  return { full, shown, bytes: file.bytes, mtime: file.mtime, pbx, problems };
}

/** The flow with its folder's pbx.json as `environment` (unchanged when there is none). */
export function withFolderEnvironment(flow: FlowDocument, folder: FolderPbx | null): FlowDocument {
  if (!folder) return flow;
  const errors = folder.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0) throw new HttpError(400, `${folder.shown} beside the flow has errors`, errors);
  if (!folder.pbx) return flow;
  const { format: _format, ...environment } = folder.pbx;
  return { ...flow, environment };
}

export interface SplitFlow {
  /** What to write as the flow file. */
  flow: unknown;
  /** The new pbx.json text; null when pbx.json is not written (none there, or it would not change). */
  pbxText: string | null;
}

/**
 * Saving: when the folder has a (readable) pbx.json and the save sent an environment, the environment
 * goes there and the flow is written without one. `sentEnvironment`: the request's document had an
 * `environment` (the parsed one always has, filled with defaults — those must not replace pbx.json).
 */
export function splitFolderEnvironment(
  flow: FlowDocument,
  sentEnvironment: boolean,
  folder: FolderPbx | null,
): SplitFlow {
  if (!folder?.pbx || !sentEnvironment) return { flow, pbxText: null };
  const { environment, ...rest } = flow;
  const text = pbxText(environment);
  return { flow: rest, pbxText: text === pbxText(folder.pbx) ? null : text };
}

function pbxText(environment: PbxEnvironment): string {
  const { format: _format, ...fields } = environment;
  return JSON.stringify({ format: PBX_FORMAT, ...fields }, null, 2) + '\n';
}
