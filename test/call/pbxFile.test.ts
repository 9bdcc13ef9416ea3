// The PBX environment file: a good one loads, and each kind of mistake comes back as one located line.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../compiler/flow/problems';
import { loadPbxFile, parsePbxText } from '../../runtime/call/pbxFile';
import { loadProgram } from '../../runtime/host';

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

const lines = (text: string) => parsePbxText(text, 'pbx.json').problems.map((p) => formatProblem(p));

describe('pbx.json', () => {
  it('the sample loads: accounts, aliases, groups and phones', async () => {
    const { pbx, problems } = await loadPbxFile('samples/autosecretary');
    expect(problems).toEqual([]);
    expect(pbx?.accounts.map((a) => a.name)).toEqual(['ivanov', 'petrov', 'operator', 'pbx']);
    expect(pbx?.groups[0]?.members).toEqual(['ivanov', 'petrov', 'operator']);
  });

  it('a folder without one has none (no problem)', async () => {
    expect(await loadPbxFile('samples/callback')).toMatchObject({ pbx: null, problems: [] });
  });

  it('says where a mistake is: JSON syntax, format, unknown fields, types, references', () => {
    expect(lines('{ "format": "ivr-studio/pbx@1", }')[0]).toMatch(/^pbx\.json:1:\d+: error FLOW301: invalid JSON/);
    expect(lines('{ "domain": "x.com" }')).toEqual([
      'pbx.json:1:1: at format: error FLOW302: missing "format": expected \'ivr-studio/pbx@1\'',
    ]);
    const text = [
      '{',
      '  "format": "ivr-studio/pbx@1",',
      '  "accounts": [',
      '    { "name": "ivanov", "workinghours": [] },',
      '    { "name": "petrov", "phone": { "status": "sleeping" } }',
      '  ]',
      '}',
    ].join('\n');
    expect(lines(text)).toEqual([
      'pbx.json:4:25: at accounts[0].workinghours: error FLOW302: unknown field "workinghours"',
      expect.stringMatching(/^pbx\.json:5:36: at accounts\[1\]\.phone\.status: error FLOW302: .*"answers"/),
    ]);
    const refs = JSON.stringify(
      {
        format: 'ivr-studio/pbx@1',
        timeZone: 'Mars/Olympus',
        accounts: [
          { name: 'ivanov', aliases: ['101'] },
          { name: 'petrov', aliases: ['101'] },
        ],
        groups: [{ name: 'support', members: ['ivanov', 'sidorov'] }],
        aliases: { '200': 'nobody' },
      },
      null,
      2,
    );
    expect(lines(refs)).toEqual([
      expect.stringMatching(/^pbx\.json:3:3: .*error FLOW350: 'Mars\/Olympus' is not a time zone name$/),
      expect.stringMatching(/^pbx\.json:\d+:\d+: .*error FLOW350: alias '101' already names account ivanov$/),
      expect.stringMatching(
        /^pbx\.json:\d+:\d+: .*error FLOW350: alias '200' names 'nobody', which is not an account$/,
      ),
      expect.stringMatching(/^pbx\.json:\d+:\d+: .*error FLOW350: 'sidorov' is not an account of company\.com$/),
    ]);
  });

  it('a program whose folder has a broken pbx.json does not load, and says why', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ivr-pbx-'));
    dirs.push(dir);
    await writeFile(join(dir, 'x.sppr'), 'entry Main is\n  stop;\nend;\n');
    await writeFile(join(dir, 'pbx.json'), '{ "format": "ivr-studio/pbx@1", "domain": "bad domain" }');
    const { program, errors } = await loadProgram(join(dir, 'x.sppr'));
    expect(program).toBeNull();
    expect(errors).toEqual([
      expect.stringMatching(/pbx\.json:1:33: .*error FLOW350: 'bad domain' is not a domain name/),
    ]);
  });

  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json().map((j) => `{"format":"ivr-studio/pbx@1","accounts":${j}}`),
        ),
        (t) => {
          const r = parsePbxText(t, 'pbx.json');
          return r.pbx !== null || r.problems.length > 0;
        },
      ),
      { numRuns: 300 },
    );
  });
});
