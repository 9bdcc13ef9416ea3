// Golden files: the compiler's output for each sample, kept in the sample's folder so a change in the
// generated program shows up in review. `UPDATE_GOLDEN=1 npx vitest run test/samples` rewrites them.
import { readFile, writeFile } from 'node:fs/promises';

export const SAMPLES = ['callback', 'autosecretary'] as const;
export type SampleName = (typeof SAMPLES)[number];

export const flowPath = (name: SampleName) => `samples/${name}/flow.json`;
export const goldenPath = (name: SampleName) => `samples/${name}/${name}.expected.sppr`;

export const updating = process.env.UPDATE_GOLDEN === '1';

/** The golden text, or (when updating) writes `actual` as the new golden text and returns it. */
export async function golden(name: SampleName, actual: string): Promise<string> {
  if (updating) {
    await writeFile(goldenPath(name), actual, 'utf8');
    return actual;
  }
  try {
    return await readFile(goldenPath(name), 'utf8');
  } catch {
    throw new Error(`${goldenPath(name)} is missing: run UPDATE_GOLDEN=1 npx vitest run test/samples to write it`);
  }
}

/** The first line where two texts differ, for a message that says where without a wall of text. */
export function firstDifference(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}:\n  expected: ${JSON.stringify(a[i] ?? '<end of file>')}\n  actual:   ${JSON.stringify(b[i] ?? '<end of file>')}`;
  }
  return 'no difference';
}
