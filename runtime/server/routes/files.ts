// GET /api/info · GET /api/files · GET /api/file · GET /api/flow · PUT /api/file
// Saves never overwrite by surprise: a save carries the version it was based on (If-Match) or says
// it creates the file (If-None-Match: *), and anything else found on disk is a 409 the designer asks
// about. A folder's pbx.json is the flow's environment (pbxSplit.ts): the save writes it too, so the
// version covers it. Only regular files are read; flows are capped at ctx.maxFlowBytes.
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import { loadFlow, parseFlowObject } from '../../../compiler/flow';
import type { FlowDocument } from '../../../compiler/flow/schema';
import type { Routes, ServerContext } from '../context';
import { HttpError, queryParam, readJson, sendJson } from '../http';
import { contentVersion, listFlowFiles, readRegular, tooLarge, writeAtomic } from '../files';
import { sweepStaleTemps } from '../../fs/atomic';
import { resolveInWorkspace } from '../security';
import { BUNDLED_SAMPLES } from '../samples';
import { DRAFT_ID, DRAFTS_DIR } from '../workspace';
import { serialised } from '../lock';
import { type FolderPbx, readFolderPbx, splitFolderEnvironment, withFolderEnvironment } from '../pbxSplit';

export const fileRoutes: Routes = {
  'GET /api/info': async (_req, res, _url, ctx) => {
    const samples: string[] = [];
    for (const name of BUNDLED_SAMPLES) {
      const path = `${name}/flow.json`;
      const exists = await resolveInWorkspace(ctx.workspace, path)
        .then((p) => stat(p))
        .then(
          (s) => s.isFile(),
          () => false,
        );
      if (exists) samples.push(path);
    }
    sendJson(res, 200, { version: ctx.version, workspace: ctx.workspace, samples, maxFlowBytes: ctx.maxFlowBytes });
  },

  'GET /api/files': async (_req, res, _url, ctx) => {
    sendJson(res, 200, { files: await listFlowFiles(ctx.workspace, ctx.maxFlowBytes) });
  },

  'GET /api/file': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    const { text } = await readFlowFile(ctx, path);
    // The file as written (not the parsed copy with defaults filled in), so opening never changes it.
    const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': 'no-store',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  },

  // What the designer opens: the document checked and with its defaults filled in (the page need not
  // parse a big flow a second time), the file's date for the recovery check and its version for the
  // next save, in one request. The accounts editor edits the folder's pbx.json through the flow's
  // environment.
  'GET /api/flow': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    const { full, flow, modified, bytes } = await readFlowFile(ctx, path);
    const folder = await readFolderPbx(full, path, ctx.maxFlowBytes);
    sendJson(res, 200, {
      flow: withFolderEnvironment(flow, folder),
      modified,
      version: versionOf(contentVersion(bytes), folder),
    });
  },

  'PUT /api/file': async (req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    if (!path.toLowerCase().endsWith('.json'))
      throw new HttpError(400, `a flow is saved as a .json file, not ${JSON.stringify(path)}`);
    const full = await resolveInWorkspace(ctx.workspace, path);
    const condition = preconditions(req);
    const draft = url.searchParams.get('draft');
    if (draft !== null && !DRAFT_ID.test(draft))
      throw new HttpError(400, `"draft" ${JSON.stringify(draft)} is not a draft id`);
    const from = url.searchParams.get('from');
    const value = await readJson(req, ctx.maxFlowBytes).catch((err: unknown) => {
      if (err instanceof HttpError && err.status === 413)
        throw new HttpError(
          413,
          `the flow is more than the limit for flows, ${path} was not written (serve --max-flow-size)`,
        );
      throw err;
    });
    const loaded = parseFlowObject(value);
    if (!loaded.flow) throw new HttpError(400, `not a flow document: ${path} was not written`, loaded.problems);
    const sentEnvironment = (value as { environment?: unknown }).environment !== undefined;
    const dir = dirname(full);
    // One save at a time per folder: the folder's flows share its pbx.json.
    const result = await serialised(dir, async () => {
      const current = await currentState(ctx, full, path);
      // The document as the schema knows it: unknown fields are dropped (docs/flow-format.md).
      const split = splitFolderEnvironment(loaded.flow!, sentEnvironment, current.folder);
      checkPreconditions(path, condition, current, split.pbxText !== null);
      try {
        if (split.pbxText !== null) await writeAtomic(current.folder!.full, split.pbxText);
        await writeAtomic(full, JSON.stringify(split.flow, null, 2) + '\n');
      } catch (err) {
        await sweepStaleTemps(dir, { depth: 0 });
        throw err;
      }
      if (draft !== null) await adoptDraft(ctx, draft, dir);
      if (from !== null) await copyPrompts(ctx, loaded.flow!, from, path);
      // Read back: the version is what the next GET /api/flow answers.
      const saved = await currentState(ctx, full, path);
      return { modified: saved.flowModified, version: saved.version };
    });
    sendJson(res, 200, { ok: true, ...result });
  },
};

interface Preconditions {
  /** The version the save was based on. */
  ifMatch: string | null;
  /** The save creates the file: it must not exist. */
  create: boolean;
}

function preconditions(req: IncomingMessage): Preconditions {
  const match = req.headers['if-match'];
  const noneMatch = req.headers['if-none-match'];
  const ifMatch =
    typeof match === 'string' && match.trim() !== '' ? match.trim().replace(/^W\//, '').replace(/^"|"$/g, '') : null;
  return { ifMatch, create: typeof noneMatch === 'string' && noneMatch.trim() === '*' };
}

/**
 * What a save would replace: the flow file and the folder's pbx.json. The version is the flow's
 * content hash, `+` the pbx.json's when the folder has one (so a conflict can say which one changed).
 */
interface Current {
  flowExists: boolean;
  version: string;
  /** The newer of the two files' dates; null when neither exists. */
  modified: string | null;
  /** The flow file's date (what GET /api/flow answers as `modified`). */
  flowModified: string | null;
  folder: FolderPbx | null;
}

const MISSING = '-';

function versionOf(flowPart: string, folder: FolderPbx | null): string {
  return folder ? `${flowPart}+${contentVersion(folder.bytes)}` : flowPart;
}

async function currentState(ctx: ServerContext, full: string, path: string): Promise<Current> {
  const folder = await readFolderPbx(full, path, ctx.maxFlowBytes * 4);
  const flow = await currentFlow(ctx, full, path);
  const dates = [flow?.mtime, folder?.mtime].filter((d): d is Date => d !== undefined);
  const newest = dates.length ? new Date(Math.max(...dates.map((d) => d.getTime()))).toISOString() : null;
  return {
    flowExists: flow !== null,
    version: versionOf(flow?.version ?? MISSING, folder),
    modified: newest,
    flowModified: flow?.mtime.toISOString() ?? null,
    folder,
  };
}

async function currentFlow(
  ctx: ServerContext,
  full: string,
  path: string,
): Promise<{ version: string; mtime: Date } | null> {
  try {
    const file = await readRegular(full, path, ctx.maxFlowBytes * 4);
    return { version: contentVersion(file.bytes), mtime: file.mtime };
  } catch (err) {
    if (err instanceof HttpError && err.status === 404) return null;
    // A file too big to look at is still a file that would be replaced.
    if (err instanceof HttpError && err.status === 413) {
      const s = await stat(full);
      return { version: `size-${s.size}-${s.mtimeMs}`, mtime: s.mtime };
    }
    throw err;
  }
}

function checkPreconditions(path: string, c: Preconditions, current: Current, writesPbx: boolean): void {
  const { version, modified, folder } = current;
  if (c.create && current.flowExists)
    throw new HttpError(409, `${path} already exists: replace it, or save under another name`, undefined, {
      conflict: { reason: 'exists', version, modified },
    });
  // A new flow in a folder whose pbx.json holds another environment would replace that environment.
  if (c.create && writesPbx && folder)
    throw new HttpError(
      409,
      `${folder.shown} already holds that folder's accounts, and saving ${path} there replaces them: replace them, or save under another name`,
      undefined,
      { conflict: { reason: 'exists', file: folder.shown, version, modified } },
    );
  if (c.ifMatch === null || version === c.ifMatch) return;
  if (!current.flowExists)
    throw new HttpError(409, `${path} was deleted since it was opened`, undefined, {
      conflict: { reason: 'deleted' },
    });
  const flowChanged = version.split('+')[0] !== c.ifMatch.split('+')[0];
  const file = flowChanged || !folder ? path : folder.shown;
  throw new HttpError(
    409,
    `${file} was changed on disk (another tab or program saved it at ${modified}) since this version was opened`,
    undefined,
    { conflict: { reason: 'changed', file, version, modified } },
  );
}

/** A new flow's first save: the prompts recorded or generated before it had a folder move beside it. */
async function adoptDraft(ctx: ServerContext, id: string, dir: string): Promise<void> {
  const from = join(ctx.workspace, DRAFTS_DIR, id);
  if (!(await stat(from).catch(() => null))?.isDirectory()) return;
  await moveTree(from, dir);
  await rm(from, { recursive: true, force: true });
}

async function moveTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const e of await readdir(from, { withFileTypes: true })) {
    const a = join(from, e.name);
    const b = join(to, e.name);
    if (e.isDirectory()) await moveTree(a, b);
    else if (e.isFile() && e.name !== 'flow.json') await rename(a, b);
  }
}

/** Save as into another folder: the prompt files the flow names come along when not there yet. */
async function copyPrompts(ctx: ServerContext, flow: FlowDocument, fromPath: string, toPath: string): Promise<void> {
  const folder = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/') + 1) : '');
  if (folder(fromPath) === folder(toPath)) return;
  for (const prompt of Object.values(flow.prompts)) {
    for (const file of Object.values(prompt.files)) {
      const source = await resolveInWorkspace(ctx.workspace, folder(fromPath) + file).catch(() => null);
      const target = await resolveInWorkspace(ctx.workspace, folder(toPath) + file).catch(() => null);
      if (!source || !target || (await stat(target).catch(() => null))) continue;
      if (!(await stat(source).catch(() => null))?.isFile()) continue;
      await mkdir(dirname(target), { recursive: true });
      await cp(source, target);
    }
  }
}

/** Reads and checks a flow file of the workspace; HTTP errors say which file and why. */
async function readFlowFile(
  ctx: ServerContext,
  path: string,
): Promise<{ full: string; text: string; bytes: Buffer; flow: FlowDocument; modified: string }> {
  const full = await resolveInWorkspace(ctx.workspace, path);
  const file = await readRegular(full, path, ctx.maxFlowBytes, (size) => tooLarge(path, size, ctx.maxFlowBytes));
  const text = file.bytes.toString('utf8');
  const loaded = loadFlow(text, path);
  if (!loaded.flow) throw new HttpError(400, `${path} is not a flow document`, loaded.problems);
  return { full, text, bytes: file.bytes, flow: loaded.flow, modified: file.mtime.toISOString() };
}
