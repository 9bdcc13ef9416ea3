// Layering: the desktop shell (electron/) may use the runtime, never the other way round, so the
// runtime and the CLI work where Electron is not installed and do not pull the shell into their build.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const ELECTRON_DIR = join(ROOT, 'electron');

/** Every module specifier in a source text: import/export … from, import(), require(), import '…'. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\b(?:import|export)\s[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:import|require)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  for (const pattern of patterns) for (const m of source.matchAll(pattern)) found.push(m[1]!);
  return found;
}

/** The specifiers of `file` that reach the desktop shell: a path into electron/ or the electron package. */
function shellImports(file: string, source: string): string[] {
  return specifiers(source).filter((spec) => {
    if (spec === 'electron' || spec.startsWith('electron/')) return true;
    if (!spec.startsWith('.')) return false;
    const target = resolve(dirname(file), spec);
    return target === ELECTRON_DIR || target.startsWith(ELECTRON_DIR + sep);
  });
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(full);
    return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(e.name) ? [full] : [];
  });
}

describe('runtime/ does not depend on electron/', () => {
  it('finds every form of import, so the scan below can fail', () => {
    const file = join(ROOT, 'runtime', 'cli', 'commands', 'x.ts');
    const source = [
      "import { findElectron } from '../../../electron/locate';",
      "import type { ElectronLookup } from '../../../electron/locate';",
      "export { buildDesktop } from '../../../electron/build';",
      "const { buildDesktop } = await import('../../../electron/build');",
      "import '../../../electron/preload';",
      "const e = require('electron');",
      "import {\n  a,\n  b,\n} from '../../../electron';",
      "import { serve } from './serve';",
      "import { startServer } from '../../server';",
      "const s = 'from ../../../electron/locate is only text';",
    ].join('\n');
    expect(shellImports(file, source)).toEqual([
      '../../../electron/locate',
      '../../../electron/locate',
      '../../../electron/build',
      '../../../electron',
      '../../../electron/preload',
      '../../../electron/build',
      'electron',
    ]);
  });

  it('no file under runtime/ imports from electron/ (or the electron package)', () => {
    const files = sourceFiles(join(ROOT, 'runtime'));
    expect(files.length).toBeGreaterThan(20);
    const offending = files.flatMap((file) =>
      shellImports(file, readFileSync(file, 'utf8')).map((spec) => `${relative(ROOT, file)}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });
});
