// Shared by the CG/PL front-end tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export function fixture(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Valid fixture programs (top level of fixtures/). */
export function validFixtures(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.sppr'))
    .sort();
}

/** Error fixtures: each states its diagnostics as `// expect: line:col part of the message` lines. */
export function errorFixtures(): string[] {
  return readdirSync(join(FIXTURES, 'errors'))
    .filter((f) => f.endsWith('.sppr'))
    .map((f) => `errors/${f}`)
    .sort();
}

/** A deep copy without `pos` fields, to compare trees that were parsed from different text. */
export function stripPos<T>(x: T): T {
  if (Array.isArray(x)) return x.map(stripPos) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (k !== 'pos') out[k] = stripPos(v);
    return out as T;
  }
  return x;
}
