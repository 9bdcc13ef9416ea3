// environmentFiles: what a flow puts in its PBX environment, laid out the way CommuniGate keeps an
// environment: `<name>.sppr` and the default language's prompts at the root, other languages in
// their folders (`russian/X.wav`). The .tar export and `ivr-studio deploy` both start from this list.
import { stat } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { FlowDocument, FlowNode } from '../flow/schema';
import { compileToCgpl } from '../generate/cgpl';

export interface ExportOptions {
  /** Leave out prompt files that are missing instead of failing (they are listed in `skipped`). */
  skipMissing?: boolean;
}

/** One file of the environment: `path` inside it ("callback.sppr", "russian/X.wav"). */
export type EnvironmentFile = { path: string; from: string } | { path: string; text: string };

export interface EnvironmentFiles {
  /** The program first, then the root prompts, then each language folder's, each sorted. */
  files: EnvironmentFile[];
  /** Prompt files left out with skipMissing, as "language/Name: why". */
  skipped: string[];
}

/** The environment could not be built; `problems` lists every reason, one per entry. */
export class ExportError extends Error {
  constructor(readonly problems: string[]) {
    super(`cannot export the environment:\n  ${problems.join('\n  ')}`);
    this.name = 'ExportError';
  }
}

function promptsOf(node: FlowNode): string[] {
  switch (node.type) {
    case 'play':
      return node.data.prompts;
    case 'menu':
      return [...node.data.prompts, ...node.data.invalidPrompts, ...node.data.noInputPrompts];
    case 'collectDigits':
      return [...node.data.prompts, ...node.data.clearPrompts];
    case 'recordVoicemail':
      return node.data.prompts;
    default:
      return [];
  }
}

// One path segment: no folders, nothing hidden, no characters archives or servers trip on.
export const safeSegment = (s: string) => s.length > 0 && !/[/\\\0]/.test(s) && !s.startsWith('.');

/**
 * @example await environmentFiles(flow, '/flows/callback') // { files: [{ path: 'callback.sppr', text }, { path: 'CallbackBusy.wav', from }, …] }
 */
export async function environmentFiles(
  flow: FlowDocument,
  flowDir: string,
  options: ExportOptions = {},
): Promise<EnvironmentFiles> {
  const problems: string[] = [];
  const skipped: string[] = [];
  if (!safeSegment(flow.name)) problems.push(`flow name "${flow.name}" cannot be a file name`);
  const used = new Set(flow.nodes.flatMap(promptsOf));
  const copies: { from: string; path: string }[] = [];

  for (const [name, prompt] of Object.entries(flow.prompts)) {
    if (!safeSegment(name)) {
      problems.push(`prompt "${name}": the name cannot be a file name`);
      continue;
    }
    if (used.has(name) && !prompt.files[flow.defaultLanguage]) {
      const why = `${flow.defaultLanguage}/${name}: no recording for the default language`;
      (options.skipMissing ? skipped : problems).push(why);
    }
    for (const [language, file] of Object.entries(prompt.files)) {
      if (!safeSegment(language)) {
        problems.push(`prompt "${name}": language "${language}" cannot be a folder name`);
        continue;
      }
      const from = resolve(flowDir, file);
      const exists = await stat(from).then(
        (s) => s.isFile(),
        () => false,
      );
      if (!exists) {
        (options.skipMissing ? skipped : problems).push(`${language}/${name}: file not found: ${from}`);
        continue;
      }
      const base = `${name}${extname(file).toLowerCase() || '.wav'}`;
      copies.push({ from, path: language === flow.defaultLanguage ? base : `${language}/${base}` });
    }
  }
  if (problems.length > 0) throw new ExportError(problems);
  // root files first, then each language folder
  copies.sort((a, b) => Number(a.path.includes('/')) - Number(b.path.includes('/')) || a.path.localeCompare(b.path));
  return { files: [{ path: `${flow.name}.sppr`, text: compileToCgpl(flow).text }, ...copies], skipped };
}
