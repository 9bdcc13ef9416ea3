// GET /api/info · GET /api/files · GET /api/file · GET /api/flow · PUT /api/file
import { readFile, stat } from 'node:fs/promises';
import { loadFlow, parseFlowObject } from '../../../compiler/flow';
import type { FlowDocument } from '../../../compiler/flow/schema';
import type { Routes } from '../context';
import { HttpError, queryParam, readJson, sendJson } from '../http';
import { listFlowFiles, writeAtomic } from '../files';
import { resolveInWorkspace } from '../security';
import { BUNDLED_SAMPLES } from '../samples';
import { splitFolderEnvironment, withFolderEnvironment } from '../pbxSplit';

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
    sendJson(res, 200, { version: ctx.version, workspace: ctx.workspace, samples });
  },

  'GET /api/files': async (_req, res, _url, ctx) => {
    sendJson(res, 200, { files: await listFlowFiles(ctx.workspace) });
  },

  'GET /api/file': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    const { text } = await readFlowFile(ctx.workspace, path);
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
  // parse a big flow a second time), and the file's date for the recovery check, in one request.
  'GET /api/flow': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    const { flow, full } = await readFlowFile(ctx.workspace, path);
    const modified = (await stat(full)).mtime.toISOString();
    // the accounts editor edits the folder's pbx.json through the flow's environment
    sendJson(res, 200, { flow: await withFolderEnvironment(flow, full), modified });
  },

  'PUT /api/file': async (req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    if (!path.toLowerCase().endsWith('.json'))
      throw new HttpError(400, `a flow is saved as a .json file, not ${JSON.stringify(path)}`);
    const full = await resolveInWorkspace(ctx.workspace, path);
    const value = await readJson(req);
    const loaded = parseFlowObject(value);
    if (!loaded.flow) throw new HttpError(400, `not a flow document: ${path} was not written`, loaded.problems);
    const existing = await stat(full).catch(() => null);
    if (existing?.isDirectory()) throw new HttpError(400, `${path} is a folder`);
    const flowText = await splitFolderEnvironment(value as Record<string, unknown>, full);
    await writeAtomic(full, JSON.stringify(flowText, null, 2) + '\n');
    const modified = (await stat(full)).mtime.toISOString();
    sendJson(res, 200, { ok: true, modified });
  },
};

/** Reads and checks a flow file of the workspace; HTTP errors say which file and why. */
async function readFlowFile(
  workspace: string,
  path: string,
): Promise<{ full: string; text: string; flow: FlowDocument }> {
  const full = await resolveInWorkspace(workspace, path);
  const text = await readFile(full, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new HttpError(404, `no file ${path} in the workspace`);
    if (err.code === 'EISDIR') throw new HttpError(400, `${path} is a folder`);
    throw new HttpError(500, `cannot read ${path}: ${err.code ?? err.message}`);
  });
  const loaded = loadFlow(text, path);
  if (!loaded.flow) throw new HttpError(400, `${path} is not a flow document`, loaded.problems);
  return { full, text, flow: loaded.flow };
}
