// exportEnvironment: the flow as a PBX environment .tar, laid out the way CommuniGate unpacks an
// upload on the Domain → PBX page (the layout itself is environmentFiles').
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { create, list } from 'tar';
import type { FlowDocument } from '../flow/schema';
import { environmentFiles, type ExportOptions } from './files';

export { ExportError, type ExportOptions } from './files';

export interface ExportResult {
  /** Paths inside the archive, in archive order. */
  files: string[];
  /** Prompt files left out with skipMissing, as "language/Name: why". */
  skipped: string[];
}

/**
 * @example await exportEnvironment(flow, '/flows/callback', '/tmp/callback.tar') // { files: ['callback.sppr', 'CallbackBusy.wav', …] }
 */
export async function exportEnvironment(
  flow: FlowDocument,
  flowDir: string,
  outTarPath: string,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const { files: content, skipped } = await environmentFiles(flow, flowDir, options);
  const stage = await mkdtemp(join(tmpdir(), 'ivr-export-'));
  try {
    for (const f of content) {
      await mkdir(dirname(join(stage, f.path)), { recursive: true });
      if ('text' in f) await writeFile(join(stage, f.path), f.text, 'utf8');
      else await copyFile(f.from, join(stage, f.path));
    }
    // language folders go in as folders, so the archive carries their directory entries too
    const paths = content.map((f) => f.path);
    const roots = paths.filter((p) => !p.includes('/'));
    const folders = [...new Set(paths.filter((p) => p.includes('/')).map((p) => p.split('/')[0]!))].sort();
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
