// The seed article's program (callback.sppr), byte for byte: the one copy in the repository, used by
// every test that needs it. Relative to the repository root, where vitest runs.
import { readFileSync } from 'node:fs';

export const SEED = 'test/fixtures/seed-callback.sppr';

export function seedText(): string {
  return readFileSync(SEED, 'utf8');
}
