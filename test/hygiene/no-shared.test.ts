// The suite runs from a clean clone: no test reads ../shared (/work/shared), which CI has beside the
// clone and a user's machine does not. The one exception is drachtio-server, found through
// DRACHTIO_BIN (or PATH), which `.ci/run` points into ../shared/tools.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const TEST = join(ROOT, 'test');

/** ../shared, /work/shared, or a path built from '..' and 'shared'. */
const SHARED = /\.\.[/\\]shared\b|\/work\/shared\b|['"]\.\.['"]\s*,\s*['"]shared['"]/;

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : files(path);
    return /\.(m?[jt]sx?|json|sh|txt|md|sppr|yaml|xml)$/.test(e.name) ? [path] : [];
  });
}

function sharedReferences(text: string): number[] {
  return text.split('\n').flatMap((line, i) => (SHARED.test(line) && !line.includes('DRACHTIO_BIN') ? [i + 1] : []));
}

describe('the tests need nothing outside the repository', () => {
  it('finds the patterns it guards against', () => {
    expect(sharedReferences("readFileSync('/work/shared/reference/seed-callback.sppr')")).toEqual([1]);
    expect(sharedReferences("const p = '../shared/seed/article.txt';")).toEqual([1]);
    expect(sharedReferences("join(ROOT, '..', 'shared', 'reference')")).toEqual([1]);
    expect(sharedReferences('const bin = process.env.DRACHTIO_BIN ?? "../shared/tools/drachtio"')).toEqual([]);
    expect(sharedReferences("const SEED = 'test/fixtures/seed-callback.sppr';")).toEqual([]);
  });

  it('no file under test/ refers to ../shared or /work/shared (except the DRACHTIO_BIN lookup)', () => {
    const me = join(TEST, 'hygiene', 'no-shared.test.ts');
    const found = files(TEST)
      .filter((f) => f !== me)
      .flatMap((f) => sharedReferences(readFileSync(f, 'utf8')).map((line) => `${relative(ROOT, f)}:${line}`));
    expect(found, 'use the copy in test/fixtures (or add one there)').toEqual([]);
  });
});
