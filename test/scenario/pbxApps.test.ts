// Programs written the way CommuniGate's stock applications are — a multilingual attendant that
// bridges a dialled extension through a helper task, an ACD queue whose agents are a group's members,
// a group login/logout through ExecuteCLI — run unchanged with their scenarios.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatScenarioReport, runScenario } from '../../runtime/scenario';

const DIR = 'test/fixtures/pbx-apps/scenarios';

describe('PBX applications in the style of the stock ones', () => {
  it('every scenario passes', async () => {
    const files = (await readdir(DIR)).filter((f) => f.endsWith('.scenario.json')).sort();
    expect(files.length).toBeGreaterThanOrEqual(7);
    const results = [];
    for (const f of files) results.push(await runScenario(join(DIR, f)));
    const failed = results.filter((r) => !r.passed);
    if (failed.length > 0) expect.fail(formatScenarioReport(failed));
  });

  it('the queue announces the caller position from CheckQueue and takes it off with ReadQueue', async () => {
    const r = await runScenario(join(DIR, 'queue-busy-agent.scenario.json'));
    const queue = r.trace!.ofKind('queue').map((e) => `${e.action}${e.position !== undefined ? ` ${e.position}` : ''}`);
    expect(queue).toEqual(['enqueued 0', 'read']);
  });

  it('the group change is this run only: SETGROUP is traced, the file is not touched', async () => {
    const r = await runScenario(join(DIR, 'group-login.scenario.json'));
    expect(r.trace!.ofKind('log').map((e) => e.text)).toEqual([
      'ExecuteCLI SETGROUP support {Members=(ivanov,petrov,sidorov);RealName=Support;} (changed for this run only)',
      'support: (ivanov@company.com,petrov@company.com,sidorov@company.com)',
    ]);
  });
});
