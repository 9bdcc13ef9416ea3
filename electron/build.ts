// Bundles the shell for Electron: dist/electron/main.mjs (ESM, the runtime bundled in, npm packages
// left to node_modules), dist/electron/media-worker.mjs (the SIP runtime's RTP thread) and
// dist/electron/call-worker.mjs (the thread a call's program runs on), both found next to main.mjs,
// and dist/electron/preload.cjs (a sandboxed preload must be one CommonJS file).
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const ELECTRON_OUT = join(ROOT, 'dist', 'electron');
export const ELECTRON_MAIN = join(ELECTRON_OUT, 'main.mjs');

/** @example await buildDesktop(); spawn(electronBinary, [ELECTRON_MAIN]); */
export async function buildDesktop(
  outDir = ELECTRON_OUT,
): Promise<{ main: string; preload: string; mediaWorker: string; callWorker: string }> {
  const { build } = await import('esbuild');
  const main = join(outDir, 'main.mjs');
  const preload = join(outDir, 'preload.cjs');
  const mediaWorker = join(outDir, 'media-worker.mjs');
  const callWorker = join(outDir, 'call-worker.mjs');
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    sourcemap: 'linked',
    logLevel: 'warning',
    absWorkingDir: ROOT,
  } as const;
  await Promise.all([
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron', 'main.ts')],
      outfile: main,
      format: 'esm',
      packages: 'external',
      external: ['electron'],
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, 'runtime', 'sip', 'media', 'worker.ts')],
      outfile: mediaWorker,
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, 'runtime', 'host', 'isolated', 'worker.ts')],
      outfile: callWorker,
      format: 'esm',
      packages: 'external',
    }),
    build({
      ...common,
      entryPoints: [join(ROOT, 'electron', 'preload.ts')],
      outfile: preload,
      format: 'cjs',
      external: ['electron'],
    }),
  ]);
  return { main, preload, mediaWorker, callWorker };
}

// `npm run build:electron`
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildDesktop().then(
    (r) => process.stdout.write(`built ${r.main} and ${r.preload}\n`),
    (e: unknown) => {
      process.stderr.write(`build:electron: ${e instanceof Error ? e.message : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
