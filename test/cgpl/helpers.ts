// Shared by the CG/PL front-end tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SEED } from '../helpers/seed';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The seed program lives once, in test/fixtures; the front-end tests know it by this name. */
const SEED_NAME = 'seed-callback.sppr';

export function fixture(name: string): string {
  return readFileSync(name === SEED_NAME ? SEED : join(FIXTURES, name), 'utf8');
}

/** Valid fixture programs: the top level of fixtures/, and the seed. */
export function validFixtures(): string[] {
  return [...readdirSync(FIXTURES).filter((f) => f.endsWith('.sppr')), SEED_NAME].sort();
}

/** Error fixtures: each states its diagnostics as `// expect: line:col part of the message` lines. */
export function errorFixtures(): string[] {
  return readdirSync(join(FIXTURES, 'errors'))
    .filter((f) => f.endsWith('.sppr'))
    .map((f) => `errors/${f}`)
    .sort();
}

/** A deep copy without positions (`pos`, `paramPos`), to compare trees parsed from different text. */
export function stripPos<T>(x: T): T {
  if (Array.isArray(x)) return x.map(stripPos) as T;
  if (x && typeof x === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) if (k !== 'pos' && k !== 'paramPos') out[k] = stripPos(v);
    return out as T;
  }
  return x;
}
