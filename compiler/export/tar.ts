// exportEnvironment: the flow as a PBX environment .tar, laid out the way CommuniGate unpacks an
// upload on the Domain → PBX page: `<name>.sppr` and the default language's prompts at the root,
// other languages in their folders (`russian/X.wav`).
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, extname, join, resolve } from 'node:path';
import { create, list } from 'tar';
import type { FlowDocument, FlowNode } from '../flow/schema';
import { compileToCgpl } from '../generate/cgpl';

export interface ExportOptions {
  /** Leave out prompt files that are missing instead of failing (they are listed in `skipped`). */
  skipMissing?: boolean;
}

export interface ExportResult {
  /** Paths inside the archive, in archive order. */
  files: string[];
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
const safeSegment = (s: string) => s.length > 0 && !/[/\\\0]/.test(s) && !s.startsWith('.');

/**
 * @example await exportEnvironment(flow, '/flows/callback', '/tmp/callback.tar') // { files: ['callback.sppr', 'CallbackBusy.wav', …] }
 */
export async function exportEnvironment(
  flow: FlowDocument,
  flowDir: string,
  outTarPath: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const problems: string[] = [];
  const skipped: string[] = [];
  if (!safeSegment(flow.name)) problems.push(`flow name "${flow.name}" cannot be a file name`);
  const used = new Set(flow.nodes.flatMap(promptsOf));
  const copies: { from: string; to: string }[] = [];

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
      copies.push({ from, to: language === flow.defaultLanguage ? base : `${language}/${base}` });
    }
  }
  if (problems.length > 0) throw new ExportError(problems);

  const stage = await mkdtemp(join(tmpdir(), 'ivr-export-'));
  try {
    const program = `${flow.name}.sppr`;
    await writeFile(join(stage, program), compileToCgpl(flow).text, 'utf8');
    // root files first, then each language folder
    copies.sort((a, b) => Number(a.to.includes('/')) - Number(b.to.includes('/')) || a.to.localeCompare(b.to));
    for (const c of copies) {
      await mkdir(dirname(join(stage, c.to)), { recursive: true });
      await copyFile(c.from, join(stage, c.to));
    }
    // language folders go in as folders, so the archive carries their directory entries too
    const roots = [program, ...copies.filter((c) => !c.to.includes('/')).map((c) => c.to)];
    const folders = [...new Set(copies.filter((c) => c.to.includes('/')).map((c) => c.to.split('/')[0]))].sort();
    await mkdir(dirname(resolve(outTarPath)), { recursive: true });
    await create({ file: outTarPath, cwd: stage, portable: true }, [...roots, ...folders]);
    const files: string[] = [];
    await list({
      file: outTarPath,
      onReadEntry: (e) => {
        if (e.type === 'File') files.push(e.path);
      },
    });
    return { files, skipped };
  } finally {
    await rm(stage, { recursive: true, force: true });
  }
}
