// `npm run mutate`: applies each listed mutation (test/mutate/mutations.ts) alone, runs the tests
// that should notice, restores the file, and prints a table and the score. A mutation whose text is
// no longer in its file (others edited it) is "stale": counted apart, to be refreshed in the list.
//   npm run mutate                     every mutation
//   npm run mutate -- mail-bcc sip-    only ids starting with these
//   npm run mutate -- --check          only say which mutations are stale (runs no test)
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MUTATIONS, type Mutation } from './mutations';
import { printTable } from '../bench/table';

const ROOT = join(import.meta.dirname, '..', '..');
const VITEST = join(ROOT, 'node_modules', '.bin', 'vitest');
// A mutant's tests may take this long (a hang counts as caught).
const TIMEOUT_MS = 10 * 60_000;
const GOAL = 0.95;

type Outcome = 'killed' | 'survived' | 'stale' | 'error';

interface Result {
  mutation: Mutation;
  outcome: Outcome;
  seconds: number;
  note: string;
}

/**
 * Runs the tests: 'pass', 'fail', 'timeout' (counts as failing: the mutant hangs), or 'error' when
 * vitest could not be run at all (that says nothing about the mutant).
 */
function runTests(tests: string[]): { result: 'pass' | 'fail' | 'timeout' | 'error'; why: string } {
  const run = spawnSync(VITEST, ['run', '--bail=1', '--reporter=dot', ...tests], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: TIMEOUT_MS,
    env: { ...process.env, CI: '1' },
  });
  const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT' || (run.signal !== null && run.error === undefined))
    return { result: 'timeout', why: 'timed out' };
  if (run.error) return { result: 'error', why: `vitest did not run: ${run.error.message}` };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: vitest's colours
  const output = (run.stdout + run.stderr).replace(/\x1b\[[0-9;]*m/g, '');
  if (/No test files found/.test(output)) return { result: 'error', why: 'no test files found' };
  // The failing tests' names (vitest's FAIL lines), for a red baseline.
  const failing = [...new Set(output.match(/^ *FAIL .+$/gm) ?? [])].map((l) => l.trim()).join('\n');
  return { result: run.status === 0 ? 'pass' : 'fail', why: run.status === 0 ? '' : failing };
}

// A red baseline would make a mutant look killed: each set of tests is run once unmutated, before its
// first mutant (one set at a time, so a test that fails under load costs only its own mutations).
const baselines = new Map<string, string | null>();

function baselineFailure(tests: string[]): string | null {
  const key = tests.join(' ');
  if (!baselines.has(key)) {
    const { result, why } = runTests(tests);
    baselines.set(key, result === 'pass' ? null : why || result);
    console.log(`baseline ${result === 'pass' ? 'green' : 'RED'}: ${key}${result === 'pass' ? '' : ` — ${why}`}`);
  }
  return baselines.get(key) ?? null;
}

let restore: (() => void) | null = null;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    restore?.();
    process.exit(130);
  });
}

function apply(m: Mutation): Result {
  const path = join(ROOT, m.file);
  let original: string;
  try {
    original = readFileSync(path, 'utf8');
  } catch {
    return { mutation: m, outcome: 'stale', seconds: 0, note: 'file not found' };
  }
  const count = original.split(m.find).length - 1;
  if (count !== 1)
    return { mutation: m, outcome: 'stale', seconds: 0, note: count === 0 ? 'text not found' : `text found ${count}×` };
  const red = baselineFailure(m.tests);
  if (red !== null) return { mutation: m, outcome: 'error', seconds: 0, note: `red without the mutation: ${red}` };
  const started = Date.now();
  restore = () => writeFileSync(path, original);
  try {
    writeFileSync(
      path,
      original.replace(m.find, () => m.replace),
    );
    const { result, why } = runTests(m.tests);
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    const outcome: Outcome = result === 'pass' ? 'survived' : result === 'error' ? 'error' : 'killed';
    return { mutation: m, outcome, seconds, note: result === 'fail' ? '' : why };
  } finally {
    restore();
    restore = null;
  }
}

/** The mutations whose text is not exactly once in their file, with why. */
function staleOnes(list: Mutation[]): { mutation: Mutation; note: string }[] {
  return list.flatMap((m) => {
    let text: string;
    try {
      text = readFileSync(join(ROOT, m.file), 'utf8');
    } catch {
      return [{ mutation: m, note: 'file not found' }];
    }
    const count = text.split(m.find).length - 1;
    return count === 1 ? [] : [{ mutation: m, note: count === 0 ? 'text not found' : `text found ${count}×` }];
  });
}

function main(): void {
  const args = process.argv.slice(2);
  const checkOnly = args.includes('--check');
  const prefixes = args.filter((a) => a !== '--check');
  const chosen = prefixes.length === 0 ? MUTATIONS : MUTATIONS.filter((m) => prefixes.some((p) => m.id.startsWith(p)));
  const ids = new Set<string>();
  for (const m of MUTATIONS) {
    if (ids.has(m.id)) throw new Error(`mutation id '${m.id}' is listed twice`);
    ids.add(m.id);
  }
  if (checkOnly) {
    const stale = staleOnes(chosen);
    for (const s of stale) console.log(`stale    ${s.mutation.id} (${s.mutation.file}: ${s.note})`);
    console.log(`${chosen.length} mutations, ${stale.length} stale`);
    process.exit(stale.length === 0 ? 0 : 1);
  }
  const results: Result[] = [];
  for (const m of chosen) {
    const r = apply(m);
    results.push(r);
    console.log(`${r.outcome.padEnd(8)} ${m.id}${r.note ? ` (${r.note})` : ''}`);
  }
  printTable(
    'Mutations',
    results.map((r) => ({
      id: r.mutation.id,
      area: r.mutation.area,
      file: r.mutation.file,
      result: r.outcome,
      seconds: r.seconds,
      note: r.note,
    })),
  );
  const killed = results.filter((r) => r.outcome === 'killed').length;
  const survived = results.filter((r) => r.outcome === 'survived');
  const stale = results.filter((r) => r.outcome === 'stale').length;
  const errors = results.filter((r) => r.outcome === 'error').length;
  const scored = killed + survived.length;
  const score = scored === 0 ? 0 : killed / scored;
  console.log(
    `\nscore: ${killed}/${scored} killed (${(score * 100).toFixed(1)} %; goal ≥ ${GOAL * 100} %), ${stale} stale` +
      (errors > 0
        ? `, ${errors} not run (tests red without the mutation, or vitest did not start: see the notes)`
        : '') +
      (survived.length > 0 ? `\nsurvived: ${survived.map((r) => r.mutation.id).join(', ')}` : ''),
  );
  if (stale > 0) console.log('stale mutations: their text changed; refresh them in test/mutate/mutations.ts');
  process.exit(score >= GOAL && errors === 0 ? 0 : 1);
}

main();
