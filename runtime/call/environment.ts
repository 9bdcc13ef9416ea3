// The environment a run uses: where PlayFile finds its prompts (CommuniGate's rule: the language
// folder one level deep, then the root, which holds the default language), how long each one plays,
// and the PBX data (pbx.json: accounts, groups, aliases, phones) the program runs with.
import { readFile } from 'node:fs/promises';
import { join, isAbsolute } from 'node:path';
import type { FlowDocument, Prompt } from '../../compiler/flow/schema';
import { PbxEnvironment } from '../../compiler/flow/pbx';
import { Directory, type AccountInfo } from './directory';

export type { AccountInfo } from './directory';
export { loadPbxFile, pbxFileOf, type PbxFileResult } from './pbxFile';

/** How long a prompt with no readable file "plays": long enough to see, short enough not to matter. */
export const MISSING_PROMPT_MS = 1000;

export interface ResolvedPrompt {
  name: string;
  /** The language of the file found (the default language when it came from the root). */
  language: string;
  /** null when no file was found or it is not a readable WAV. */
  path: string | null;
  durationMs: number;
  /** Why path is null. */
  problem?: string;
}

export interface CallEnvironment {
  /** The root (unfoldered) language. */
  readonly defaultLanguage: string;
  resolvePrompt(name: string, language: string): Promise<ResolvedPrompt>;
  /** Account name or e-mail (default: the environment's default account) → account. */
  account(nameOrEmail?: string): AccountInfo;
  /** The PBX data (accounts, groups, aliases, phones); absent in hand-made test environments. */
  readonly directory?: Directory;
}

export interface EnvironmentOptions {
  defaultLanguage?: string;
  /** A flow's prompt library: language → file relative to dir. */
  prompts?: Record<string, Prompt>;
  pbx?: PbxEnvironment;
}

/**
 * A directory environment (a flow folder or a PBX environment folder).
 * @example
 *   const env = directoryEnvironment('samples/callback');
 *   await env.resolvePrompt('CallbackBusy', 'russian'); // → samples/callback/russian/CallbackBusy.wav
 */
export function directoryEnvironment(dir: string, options: EnvironmentOptions = {}): CallEnvironment {
  const defaultLanguage = options.defaultLanguage ?? 'english';
  const directory = new Directory(PbxEnvironment.parse(options.pbx ?? {}), defaultLanguage);
  const durations = new Map<string, Promise<number | string>>();
  const duration = (path: string) => {
    let known = durations.get(path);
    if (!known) {
      known = readDuration(path);
      durations.set(path, known);
    }
    return known;
  };

  async function firstReadable(
    candidates: { path: string; language: string }[],
    name: string,
  ): Promise<ResolvedPrompt | string> {
    const problems: string[] = [];
    for (const c of candidates) {
      const d = await duration(c.path);
      if (typeof d === 'number') return { name, language: c.language, path: c.path, durationMs: d };
      problems.push(d === 'not found' ? '' : `${c.path}: ${d}`);
    }
    // A file that exists but is broken says more than "not found" does.
    return problems.find((p) => p !== '') ?? `not found: ${candidates.map((c) => c.path).join(', ')}`;
  }

  return {
    defaultLanguage,
    directory,
    account: (nameOrEmail) => directory.account(nameOrEmail),
    async resolvePrompt(name, language) {
      const missing = (problem: string): ResolvedPrompt => ({
        name,
        language,
        path: null,
        durationMs: MISSING_PROMPT_MS,
        problem,
      });
      const entry = options.prompts && Object.hasOwn(options.prompts, name) ? options.prompts[name] : undefined;
      if (entry && Object.keys(entry.files).length > 0) {
        const candidates = [language, defaultLanguage]
          .filter((lang, i, all) => all.indexOf(lang) === i && Object.hasOwn(entry.files, lang))
          .map((lang) => ({ language: lang, path: join(dir, entry.files[lang] as string) }));
        if (candidates.length === 0) return missing(`the prompt library has no ${language} or ${defaultLanguage} file`);
        const found = await firstReadable(candidates, name);
        return typeof found === 'string' ? missing(found) : found;
      }
      if (!isPlainName(name)) return missing('not a plain file name');
      const file = /\.[A-Za-z0-9]+$/.test(name) ? name : `${name}.wav`;
      const candidates: { path: string; language: string }[] = [];
      if (language && language !== defaultLanguage && isPlainName(language)) {
        candidates.push({ language, path: join(dir, language, file) });
      }
      candidates.push({ language: defaultLanguage, path: join(dir, file) });
      const found = await firstReadable(candidates, name);
      return typeof found === 'string' ? missing(found) : found;
    },
  };
}

/**
 * A flow's environment: its prompt library, its folder, and its PBX data — the folder's pbx.json
 * when given (`pbx`), else the flow's inline environment.
 */
export function flowEnvironment(flow: FlowDocument, flowDir: string, pbx?: PbxEnvironment): CallEnvironment {
  return directoryEnvironment(flowDir, {
    defaultLanguage: flow.defaultLanguage,
    prompts: flow.prompts,
    pbx: pbx ?? flow.environment,
  });
}

/** Account name or e-mail → the account; unknown names become name@domain with default settings. */
export function resolveAccount(
  pbx: PbxEnvironment | undefined,
  nameOrEmail?: string,
  defaultLanguage = 'english',
): AccountInfo {
  return new Directory(pbx, defaultLanguage).account(nameOrEmail);
}

/** A name PlayFile may use: relative, no `..` segments (a program must not read outside its environment). */
function isPlainName(name: string): boolean {
  if (name === '' || isAbsolute(name) || name.includes('\0')) return false;
  return !name.split(/[\\/]/).some((part) => part === '..' || part === '');
}

async function readDuration(path: string): Promise<number | string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'not found' : `cannot read (${code ?? String(err)})`;
  }
  const ms = wavDurationMs(bytes);
  return ms === null ? 'not a WAV file' : ms;
}

/**
 * How long a WAV plays, from its RIFF header: the data chunk's size over the fmt chunk's byte rate.
 * null when it is not a RIFF/WAVE file or has no fmt/data chunk.
 */
export function wavDurationMs(bytes: Uint8Array): number | null {
  if (bytes.length < 12) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') return null;
  let byteRate = 0;
  let dataSize = -1;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 20 <= bytes.length) byteRate = view.getUint32(at + 16, true);
    if (id === 'data') {
      // Streamed files write 0 or 0xFFFFFFFF here; the rest of the file is the data then.
      const rest = bytes.length - at - 8;
      dataSize = size === 0 || size > rest ? rest : size;
      break;
    }
    at += 8 + size + (size % 2);
  }
  if (byteRate === 0 || dataSize < 0) return null;
  return Math.round((dataSize * 1000) / byteRate);
}
