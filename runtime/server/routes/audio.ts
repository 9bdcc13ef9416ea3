// GET /api/audio · POST /api/prompt · POST /api/prompt/tts
import { relative } from 'node:path';
import type { Routes, ServerContext } from '../context';
import { HttpError, optionalString, queryParam, readJsonObject, requiredString, sendBytes, sendJson } from '../http';
import { readRegular, writeAtomic } from '../files';
import { resolveInWorkspace, workspaceRelative } from '../security';
import { toTelephoneWav } from '../wav';
import { speak } from '../tts';

const PROMPT_NAME = /^[\p{L}\p{N}_][\p{L}\p{N}_-]{0,99}$/u;
const LANGUAGE = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const MAX_AUDIO_BYTES = 50 * 1024 * 1024;

export const audioRoutes: Routes = {
  'GET /api/audio': async (_req, res, url, ctx) => {
    const path = queryParam(url, 'path');
    if (!path.toLowerCase().endsWith('.wav'))
      throw new HttpError(400, `only .wav files are served, not ${JSON.stringify(path)}`);
    const full = await resolveInWorkspace(ctx.workspace, path);
    const file = await readRegular(full, path, MAX_AUDIO_BYTES);
    sendBytes(res, 'audio/wav', file.bytes);
  },

  'POST /api/prompt': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const path = requiredString(body, 'path');
    const encoded = requiredString(body, 'wavBase64').replace(/^data:[^,]*;base64,/, '');
    const target = await promptTarget(ctx, body, path);
    sendJson(res, 200, await writePrompt(ctx, target, toTelephoneWav(Buffer.from(encoded, 'base64'))));
  },

  'POST /api/prompt/tts': async (req, res, _url, ctx) => {
    const body = await readJsonObject(req);
    const path = requiredString(body, 'path');
    const text = requiredString(body, 'text');
    const target = await promptTarget(ctx, body, path);
    sendJson(res, 200, await writePrompt(ctx, target, toTelephoneWav(await speak(text, target.language))));
  },
};

interface PromptTarget {
  language: string;
  /** Relative to the flow's folder: what goes in `prompts[prompt].files[language]`. */
  inFlow: string;
  /** Workspace-relative. */
  path: string;
}

/** Checks the request's fields before any work is done on the audio. */
async function promptTarget(ctx: ServerContext, body: Record<string, unknown>, path: string): Promise<PromptTarget> {
  const prompt = requiredString(body, 'prompt');
  const language = requiredString(body, 'language');
  if (!PROMPT_NAME.test(prompt))
    throw new HttpError(400, `"prompt" ${JSON.stringify(prompt)} cannot be a file name (letters, digits, _ and -)`);
  if (!LANGUAGE.test(language))
    throw new HttpError(400, `"language" ${JSON.stringify(language)} cannot be a folder name`);
  const flowFile = await resolveInWorkspace(ctx.workspace, path);
  const defaultLanguage =
    optionalString(body, 'defaultLanguage') ?? (await savedDefaultLanguage(flowFile)) ?? 'english';
  // CommuniGate's layout: the default language at the flow's root, the others in their folders.
  const flowFolder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  const inFlow = language === defaultLanguage ? `${prompt}.wav` : `${language}/${prompt}.wav`;
  return { language, inFlow, path: flowFolder + inFlow };
}

async function writePrompt(
  ctx: ServerContext,
  target: PromptTarget,
  wav: Uint8Array,
): Promise<{ file: string; relative: string }> {
  const full = await resolveInWorkspace(ctx.workspace, target.path);
  await writeAtomic(full, wav);
  return { file: relativeFile(ctx, full), relative: target.inFlow };
}

async function savedDefaultLanguage(flowFile: string): Promise<string | null> {
  try {
    const value = JSON.parse((await readRegular(flowFile, 'flow')).bytes.toString('utf8')) as {
      defaultLanguage?: unknown;
    };
    return typeof value.defaultLanguage === 'string' ? value.defaultLanguage : null;
  } catch {
    return null;
  }
}

function relativeFile(ctx: ServerContext, full: string): string {
  return workspaceRelative(ctx.workspace, full) ?? relative(ctx.workspace, full);
}
