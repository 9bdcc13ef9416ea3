// The designer's production build for the browser tests and the benchmark: rebuilt only when a source
// is newer than dist/designer. A lock folder keeps parallel test files from building at once (one
// builds, the others wait and then find the build fresh).
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = join(ROOT, 'dist', 'designer');
const LOCK = join(ROOT, 'dist', '.designer-build.lock');
/** The page bundles the compiler (validation, generators) as well as designer/. */
const SOURCES = ['designer', 'compiler', 'vite.config.ts'];
const STALE_LOCK_MS = 120_000;

async function newestMtime(path: string): Promise<number> {
  const s = await stat(path).catch(() => null);
  if (!s) return 0;
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = 0;
  for (const e of await readdir(path, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    newest = Math.max(newest, await newestMtime(join(path, e.name)));
  }
  return newest;
}

async function isFresh(): Promise<boolean> {
  const built = await stat(join(DIST, 'index.html')).catch(() => null);
  if (!built) return false;
  let newest = 0;
  for (const s of SOURCES) newest = Math.max(newest, await newestMtime(join(ROOT, s)));
  return built.mtimeMs >= newest;
}

async function takeLock(): Promise<void> {
  await mkdir(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      await mkdir(LOCK);
      return;
    } catch {
      // A lock left by a killed run must not block every later run.
      const s = await stat(LOCK).catch(() => null);
      if (s && Date.now() - s.mtimeMs > STALE_LOCK_MS) await rm(LOCK, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function viteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    // vitest sets NODE_ENV=test, and Vite would then bundle React's development build.
    const env = { ...process.env, NODE_ENV: 'production' };
    execFile(
      'npx',
      ['vite', 'build', '--logLevel', 'warn'],
      { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
      (err, _out, stderr) => {
        if (err) reject(new Error(`npx vite build failed: ${stderr || err.message}`));
        else resolve();
      },
    );
  });
}

/** Builds dist/designer unless it is newer than every source it is made from. */
export async function ensureDesignerBuilt(): Promise<string> {
  if (await isFresh()) return DIST;
  await takeLock();
  try {
    if (!(await isFresh())) await viteBuild();
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
  return DIST;
}
