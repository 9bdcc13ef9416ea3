// Every scenario shipped with the samples passes, and each sample exports as a PBX environment .tar.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { list } from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportEnvironment } from '../../compiler/export/tar';
import { loadFlow } from '../../compiler/flow';
import { formatScenarioReport, runScenario } from '../../runtime/scenario';
import { SAMPLES, flowPath } from './golden';

const scenarioFiles = SAMPLES.map((name) => ({ name, dir: `samples/${name}/scenarios` }));

describe('sample scenarios', () => {
  it('each sample has scenarios', async () => {
    for (const { dir } of scenarioFiles) {
      expect((await readdir(dir)).filter((f) => f.endsWith('.scenario.json')).length, dir).toBeGreaterThanOrEqual(3);
    }
  });

  // A sample is a flow, so each scenario must hold on both compiled targets, whichever one it names.
  for (const { name, dir } of scenarioFiles) {
    for (const target of ['cgpl', 'js'] as const) {
      it(`every ${name} scenario passes on the ${target} target`, async () => {
        const files = (await readdir(dir)).filter((f) => f.endsWith('.scenario.json')).sort();
        const results = [];
        for (const f of files) results.push(await runScenario(join(dir, f), { target }));
        const failed = results.filter((r) => !r.passed);
        if (failed.length > 0) expect.fail(formatScenarioReport(failed));
        expect(results.map((r) => r.passed)).toEqual(files.map(() => true));
      });
    }
  }
});

describe('sample environments (.tar)', () => {
  let out = '';
  beforeAll(async () => {
    out = await mkdtemp(join(tmpdir(), 'ivr-samples-tar-'));
  });
  afterAll(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it.each(SAMPLES)('%s: the program and the english prompts at the root, russian/ in its folder', async (name) => {
    const flow = loadFlow(await readFile(flowPath(name), 'utf8'), flowPath(name)).flow!;
    const tarFile = join(out, `${name}.tar`);
    await exportEnvironment(flow, `samples/${name}`, tarFile);
    const entries: { path: string; type: string; size: number }[] = [];
    await list({
      file: tarFile,
      onReadEntry: (e) => {
        entries.push({ path: e.path, type: e.type, size: e.size ?? 0 });
      },
    });
    const files = entries.filter((e) => e.type === 'File').map((e) => e.path);

    expect(files[0]).toBe(`${name}.sppr`);
    const prompts = Object.keys(flow.prompts).sort();
    expect(prompts.length).toBeGreaterThan(0);
    const root = files.filter((f) => !f.includes('/') && f.endsWith('.wav')).sort();
    const russian = files.filter((f) => f.startsWith('russian/')).sort();
    expect(root).toEqual(prompts.map((p) => `${p}.wav`).sort());
    expect(russian).toEqual(prompts.map((p) => `russian/${p}.wav`).sort());
    expect(files).toHaveLength(1 + 2 * prompts.length);
    // the language folder comes as a folder, and no file is empty
    expect(entries.some((e) => e.type === 'Directory' && e.path.replace(/\/$/, '') === 'russian')).toBe(true);
    expect(entries.filter((e) => e.type === 'File' && e.size === 0)).toEqual([]);
  });
});
