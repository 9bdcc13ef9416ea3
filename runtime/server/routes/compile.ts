// POST /api/validate · POST /api/compile · POST /api/export
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileToCgpl, compileToJs, jsRefusal } from '../../../compiler/generate';
import { exportEnvironment, ExportError } from '../../../compiler/export/tar';
import { parseFlowObject } from '../../../compiler/flow';
import type { Routes } from '../context';
import { HttpError, optionalString, readJsonObject, requiredString, sendBytes, sendJson } from '../http';
import { checkFlow, errorsOf, flowDir, flowFromBody } from '../flows';

export const compileRoutes: Routes = {
  'POST /api/validate': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const path = optionalString(body, 'path');
    const dir = path === undefined ? null : await flowDir(ctx.workspace, path);
    if (body.flow === undefined) throw new HttpError(400, '"flow" is required');
    const loaded = parseFlowObject(body.flow);
    if (!loaded.flow) return sendJson(res, 200, { problems: loaded.problems });
    sendJson(res, 200, { problems: [...loaded.problems, ...checkFlow(loaded.flow, ctx.workspace, dir)] });
  },

  'POST /api/compile': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const target = body.target ?? 'cgpl';
    if (target !== 'cgpl' && target !== 'js')
      throw new HttpError(400, `"target" must be "cgpl" or "js", not ${JSON.stringify(target)}`);
    const { flow } = flowFromBody(body.flow);
    // No path: prompt files are not looked for, only the flow itself is checked.
    const errors = errorsOf(checkFlow(flow, ctx.workspace, null));
    if (errors.length > 0)
      throw new HttpError(400, `the flow has ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors);
    if (target === 'js') {
      const refusal = jsRefusal(flow);
      if (refusal) throw new HttpError(400, refusal);
      return sendJson(res, 200, { text: compileToJs(flow).text });
    }
    const { text, sourceMap } = compileToCgpl(flow);
    sendJson(res, 200, { text, sourceMap });
  },

  'POST /api/export': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const path = requiredString(body, 'path');
    const dir = await flowDir(ctx.workspace, path);
    const { flow } = flowFromBody(body.flow);
    const errors = errorsOf(checkFlow(flow, ctx.workspace, dir));
    if (errors.length > 0)
      throw new HttpError(400, `the flow has ${errors.length} error${errors.length === 1 ? '' : 's'}`, errors);
    const stage = await mkdtemp(join(tmpdir(), 'ivr-studio-export-'));
    try {
      const tar = join(stage, 'environment.tar');
      await exportEnvironment(flow, dir, tar).catch((err: unknown) => {
        if (err instanceof ExportError) {
          throw new HttpError(
            400,
            'cannot export the environment',
            err.problems.map((message) => ({ severity: 'error' as const, code: 'FLOW320' as const, message })),
          );
        }
        throw err;
      });
      const bytes = await readFile(tar);
      const filename = `${flow.name}.tar`.replace(/[^A-Za-z0-9._-]/g, '_');
      sendBytes(res, 'application/x-tar', bytes, { 'Content-Disposition': `attachment; filename="${filename}"` });
    } finally {
      await rm(stage, { recursive: true, force: true });
    }
  },
};
