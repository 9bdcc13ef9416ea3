// The server's own state in the workspace: autosaves (so unsaved work is found again whatever port
// the next start gets), drafts of unsaved flows (their prompts), the samples as templates, and the
// designer's preferences (panel sizes, theme).
//   GET/PUT/DELETE /api/autosave?path=P (GET: { autosave: record | null }) · GET /api/autosaves · GET /api/samples · POST /api/draft
//   GET/PUT /api/prefs
import { cp, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { loadFlow } from '../../../compiler/flow';
import type { Routes, ServerContext } from '../context';
import { HttpError, optionalString, queryParam, readJson, readJsonObject, sendJson } from '../http';
import { readRegular, writeAtomic } from '../files';
import { resolveInWorkspace } from '../security';
import { BUNDLED_SAMPLES, SAMPLES_DIR } from '../samples';
import { AUTOSAVE_DIR, draftFlowPath, DRAFTS_DIR, PREFS_FILE } from '../workspace';

const MAX_PREFS_BYTES = 64 * 1024;

export interface AutosaveRecord {
  path: string;
  savedAt: number;
  /** The file version the unsaved work started from (null: a new flow). */
  base: string | null;
  doc: unknown;
}

function autosaveFile(ctx: ServerContext, path: string): string {
  const key = createHash('sha256').update(path).digest('hex').slice(0, 32);
  return join(ctx.workspace, AUTOSAVE_DIR, `${key}.json`);
}

async function readRecord(file: string): Promise<AutosaveRecord | null> {
  try {
    const value = JSON.parse((await readRegular(file, 'autosave')).bytes.toString('utf8')) as AutosaveRecord;
    return typeof value.path === 'string' && typeof value.savedAt === 'number' ? value : null;
  } catch {
    return null;
  }
}

export const workspaceRoutes: Routes = {
  'GET /api/autosave': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    await resolveInWorkspace(ctx.workspace, path);
    const record = await readRecord(autosaveFile(ctx, path));
    // None is the usual answer, not an error (a 404 would be logged by every browser that opens a file).
    sendJson(res, 200, { autosave: record && record.path === path ? record : null });
  },

  'PUT /api/autosave': async (req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    await resolveInWorkspace(ctx.workspace, path);
    const body = (await readJson(req, ctx.maxFlowBytes)) as { doc?: unknown; base?: unknown };
    if (typeof body !== 'object' || body === null || typeof body.doc !== 'object' || body.doc === null)
      throw new HttpError(400, '"doc" (the unsaved flow document) is required');
    const record: AutosaveRecord = {
      path,
      savedAt: Date.now(),
      base: typeof body.base === 'string' ? body.base : null,
      doc: body.doc,
    };
    await writeAtomic(autosaveFile(ctx, path), JSON.stringify(record));
    sendJson(res, 200, { ok: true, savedAt: record.savedAt });
  },

  'DELETE /api/autosave': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    await resolveInWorkspace(ctx.workspace, path);
    await unlink(autosaveFile(ctx, path)).catch(() => undefined);
    sendJson(res, 200, { ok: true });
  },

  /** Every autosave, newest first, without the documents: the page offers unsaved new flows back. */
  'GET /api/autosaves': async (_req, res, _url, ctx) => {
    const dir = join(ctx.workspace, AUTOSAVE_DIR);
    const out: { path: string; savedAt: number; name: string }[] = [];
    for (const name of await readdir(dir).catch(() => [] as string[])) {
      if (!name.endsWith('.json')) continue;
      const r = await readRecord(join(dir, name));
      if (!r) continue;
      const docName = (r.doc as { name?: unknown } | null)?.name;
      out.push({ path: r.path, savedAt: r.savedAt, name: typeof docName === 'string' ? docName : r.path });
    }
    out.sort((a, b) => b.savedAt - a.savedAt);
    sendJson(res, 200, { autosaves: out });
  },

  'GET /api/samples': async (_req, res) => {
    const samples: { id: string; name: string; description: string }[] = [];
    for (const id of BUNDLED_SAMPLES) {
      try {
        const { flow } = loadFlow(await readFile(join(SAMPLES_DIR, id, 'flow.json'), 'utf8'));
        if (flow) samples.push({ id, name: flow.name, description: flow.description });
      } catch {
        /* a sample missing from this install is not offered */
      }
    }
    sendJson(res, 200, { samples });
  },

  /**
   * A draft for a new flow: `{ sample? }` → `{ id, path, flow? }`. From a sample, its prompts are
   * copied into the draft and its document returned; the first save moves them beside the flow.
   */
  'POST /api/draft': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const sample = optionalString(body, 'sample');
    const id = randomUUID();
    const dir = join(ctx.workspace, DRAFTS_DIR, id);
    await mkdir(dir, { recursive: true });
    if (sample === undefined) return sendJson(res, 200, { id, path: draftFlowPath(id) });
    if (!BUNDLED_SAMPLES.includes(sample))
      throw new HttpError(404, `no sample ${JSON.stringify(sample)} (there are ${BUNDLED_SAMPLES.join(', ')})`);
    const from = join(SAMPLES_DIR, sample);
    const { flow } = loadFlow(await readFile(join(from, 'flow.json'), 'utf8'), `${sample}/flow.json`);
    if (!flow) throw new HttpError(500, `the ${sample} sample does not load`);
    await cp(from, dir, {
      recursive: true,
      filter: (src) => {
        const rel = src.slice(from.length).replace(/\\/g, '/');
        return rel === '' || (!rel.startsWith('/.') && !rel.startsWith('/scenarios') && rel !== '/flow.json');
      },
    });
    sendJson(res, 200, { id, path: draftFlowPath(id), flow });
  },

  'GET /api/prefs': async (_req, res, _url, ctx) => {
    let prefs: unknown = {};
    try {
      prefs = JSON.parse(
        (await readRegular(join(ctx.workspace, PREFS_FILE), 'prefs', MAX_PREFS_BYTES)).bytes.toString('utf8'),
      );
    } catch {
      prefs = {};
    }
    sendJson(res, 200, { prefs: typeof prefs === 'object' && prefs !== null && !Array.isArray(prefs) ? prefs : {} });
  },

  'PUT /api/prefs': async (req, res, _url, ctx) => {
    const prefs = await readJson(req, MAX_PREFS_BYTES);
    if (typeof prefs !== 'object' || prefs === null || Array.isArray(prefs))
      throw new HttpError(400, 'the preferences are a JSON object');
    await writeAtomic(join(ctx.workspace, PREFS_FILE), JSON.stringify(prefs));
    sendJson(res, 200, { ok: true });
  },
};
