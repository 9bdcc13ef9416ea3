// GET /api/audio · POST /api/prompt
import { readFile, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import type { Routes, ServerContext } from '../context';
import { HttpError, optionalString, queryParam, readJsonObject, requiredString, sendBytes, sendJson } from '../http';
import { writeAtomic } from '../files';
import { resolveInWorkspace, workspaceRelative } from '../security';
import { toTelephoneWav } from '../wav';

const PROMPT_NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_-]{0,99}$/u;
const LANGUAGE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const MAX_AUDIO_BYTES = 50 * 1024 * 1024;

export const audioRoutes: Routes = {
  'GET /api/audio': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    if (!path.toLowerCase().endsWith('.wav')) throw new HttpError(400, `only .wav files are served, not ${JSON.stringify(path)}`);
    const full = await resolveInWorkspace(ctx.workspace, path);
    const s = await stat(full).catch(() => null);
    if (!s?.isFile()) throw new HttpError(404, `no file ${path} in the workspace`);
    if (s.size > MAX_AUDIO_BYTES) throw new HttpError(400, `${path} is larger than ${MAX_AUDIO_BYTES} bytes`);
    sendBytes(res, 'audio/wav', await readFile(full));
  },

  'POST /api/prompt': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const path = requiredString(body, 'path');
    const prompt = requiredString(body, 'prompt');
    const language = requiredString(body, 'language');
    const encoded = requiredString(body, 'wavBase64').replace(/^data:[^,]*;base64,/, '');
    if (!PROMPT_NAME.test(prompt)) throw new HttpError(400, `"prompt" ${JSON.stringify(prompt)} cannot be a file name (letters, digits, _ and -)`);
    if (!LANGUAGE.test(language)) throw new HttpError(400, `"language" ${JSON.stringify(language)} cannot be a folder name`);
    const flowFile = await resolveInWorkspace(ctx.workspace, path);
    const defaultLanguage = optionalString(body, 'defaultLanguage') ?? (await savedDefaultLanguage(flowFile)) ?? 'english';
    const wav = toTelephoneWav(Buffer.from(encoded, 'base64'));

    // CommuniGate's layout: the default language at the flow's root, the others in their folders.
    const flowFolder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
    const inFlow = language === defaultLanguage ? `${prompt}.wav` : `${language}/${prompt}.wav`;
    const target = await resolveInWorkspace(ctx.workspace, flowFolder + inFlow);
    await writeAtomic(target, wav);
    sendJson(res, 200, { file: relativeFile(ctx, target), relative: inFlow });
  },
};

async function savedDefaultLanguage(flowFile: string): Promise<string | null> {
  try {
    const value = JSON.parse(await readFile(flowFile, 'utf8')) as { defaultLanguage?: unknown };
    return typeof value.defaultLanguage === 'string' ? value.defaultLanguage : null;
  } catch {
    return null;
  }
}

function relativeFile(ctx: ServerContext, full: string): string {
  return workspaceRelative(ctx.workspace, full) ?? relative(ctx.workspace, full);
}
