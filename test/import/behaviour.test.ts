// An imported program behaves as the program it came from: the same random callers (keys, pauses,
// hang-ups, a relay up or down) hear the same prompts, leave the same e-mails and end the same way.
// The seed article's callback.sppr, written by hand, imports to ordinary nodes (its `*` quirk kept as
// collectDigits.clearKeepsKey); programs generated from random flows import back as well.
import fc from 'fast-check';
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateFlow } from '../../compiler/flow';
import { compileToCgpl } from '../../compiler/generate';
import { importCgpl } from '../../compiler/import';
import { loadProgram, type Program } from '../../runtime/host';
import { arbitraryCaller, arbitraryPlan, compiledProgram, repairFlow, runOn } from '../differential/harness';
import { arbitraryFlow } from '../generate/arbitraries';
import { SEED } from '../helpers/seed';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-import-'));
  await copyFile('samples/callback/Failure.wav', join(dir, 'prompt.wav'));
});

async function load(path: string): Promise<Program> {
  const { program, errors } = await loadProgram(path, { environmentDir: 'samples/callback' });
  expect(errors).toEqual([]);
  return program!;
}

describe('the seed callback.sppr', () => {
  it('imports to ordinary nodes that behave as the seed for random callers', async () => {
    const text = await readFile(SEED, 'utf8');
    const imported = importCgpl(text, { file: 'callback.sppr' });
    expect(imported.problems).toEqual([]);
    const flow = imported.flow!;
    // `if accumulator == "" then stop; end if;`: the digits' empty output is left unconnected (the call ends)
    expect(imported.counts).toEqual({ start: 1, collectDigits: 1, sendEmail: 1, play: 2 });
    const collect = flow.nodes.find((n) => n.type === 'collectDigits')!;
    expect(collect.data).toMatchObject({ variable: 'accumulator', endKey: '#', clearKey: '*', clearKeepsKey: true });
    expect(validateFlow(flow, { baseDir: 'samples/callback' }).filter((p) => p.severity === 'error')).toEqual([]);
    const file = join(dir, 'callback.sppr');
    await writeFile(file, compileToCgpl(flow).text);
    const seed = await load(SEED);
    const back = await load(file);
    await fc.assert(
      fc.asyncProperty(arbitraryCaller(), fc.boolean(), async (caller, smtpUp) => {
        const plan = { caller, smtpUp, account: 'ivanov', language: 'english' };
        const [a, b] = [await runOn(seed, 'cgpl', plan), await runOn(back, 'cgpl', plan)];
        expect(b.events).toEqual(a.events);
        expect(b.emails).toEqual(a.emails);
        expect([b.endedBy, b.unread, b.hostEnded]).toEqual([a.endedBy, a.unread, a.hostEnded]);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps the quirk: after * clears the number, the * itself starts the new one', async () => {
    const imported = importCgpl(await readFile(SEED, 'utf8'), { file: 'callback.sppr' });
    const file = join(dir, 'quirk.sppr');
    await writeFile(file, compileToCgpl(imported.flow!).text);
    const out = await runOn(await load(file), 'cgpl', {
      caller: [{ listen: true }, { dtmf: '12*34#' }],
      smtpUp: true,
      account: 'ivanov',
      language: 'english',
    });
    expect(out.emails.map((m) => m.subject)).toEqual(['Contact phone:*34']);
  });
});

describe('programs generated from random flows', () => {
  it('behave the same after import and compile, for random callers', async () => {
    const valid = arbitraryFlow(8)
      .map((f) => repairFlow(f, 'prompt.wav'))
      .filter((f) => !validateFlow(f).some((p) => p.severity === 'error'));
    await fc.assert(
      fc.asyncProperty(valid, arbitraryPlan(), async (flow, plan) => {
        const imported = importCgpl(compileToCgpl(flow).text, { name: flow.name });
        expect(imported.problems).toEqual([]);
        // the prompt library only says where recordings are: the same files for both
        const back = { ...imported.flow!, prompts: flow.prompts };
        const [a, b] = [
          await runOn(compiledProgram(flow, dir), 'cgpl', plan),
          await runOn(compiledProgram(back, dir), 'cgpl', plan),
        ];
        // a runtime error names the node it is in: the imported node has a new id
        const same = (o: typeof a) => ({ ...o, errorText: o.errorText.map((e) => e.replace(/ node \S+:/, ' node:')) });
        expect(same(b)).toEqual(same(a));
      }),
      { numRuns: 150 },
    );
  });
});

describe('a hand-written program with parts no node stands for', () => {
  const PROGRAM = `entry Main is
  if AcceptCall() != null then stop; end if;
  count = 0;
  while count < 2 loop
    PlayFile("CallbackBusy");
    count = count + 1;
  end loop;
  key = ReadInput(5);
  if key == "1" then PlayFile("CallbackTrailer"); else PlayFile("Failure"); end if;
end;
`;

  it('keeps them in a code node (answered first) and behaves the same', async () => {
    const imported = importCgpl(PROGRAM, { file: 'counted.sppr' });
    expect(imported.problems).toEqual([]);
    expect(imported.counts).toEqual({ start: 1, code: 1, condition: 1, play: 2 });
    const code = imported.flow!.nodes.find((n) => n.type === 'code')!;
    expect(code.data).toMatchObject({ answer: true, exits: ['next'] });
    expect((code.data as { code: string }).code).toBe(
      'count = 0;\nwhile count < 2 loop\n  PlayFile("CallbackBusy");\n  count = count + 1;\nend loop;\nkey = ReadInput(5);',
    );
    const original = join(dir, 'counted.sppr');
    const back = join(dir, 'counted-back.sppr');
    await writeFile(original, PROGRAM);
    await writeFile(back, compileToCgpl(imported.flow!).text);
    const [a, b] = [await load(original), await load(back)];
    for (const caller of [[{ listen: true as const }, { dtmf: '1' }], [{ dtmf: '2' }], []]) {
      const plan = { caller, smtpUp: true, account: 'ivanov', language: 'english' };
      const [x, y] = [await runOn(a, 'cgpl', plan), await runOn(b, 'cgpl', plan)];
      expect(y.events).toEqual(x.events);
    }
  });
});

describe('a program with procedures, a function and task variables', () => {
  const PROGRAM = `var greeted;
const times = 2;
procedure Greet(name) is
  PlayFile(name);
  greeted = greeted + 1;
end;
function Pick(key) is
  if key == "1" then return "CallbackTrailer"; end if;
  return "Failure";
end;
entry Main is
  if AcceptCall() != null then stop; end if;
  greeted = 0;
  while greeted < times loop
    Greet("CallbackBusy");
  end loop;
  PlayFile(Pick(ReadInput(5)));
end;
`;

  it("keeps them as the flow's declarations, callable from code nodes, and behaves the same", async () => {
    const imported = importCgpl(PROGRAM, { file: 'greet.sppr' });
    expect(imported.problems).toEqual([]);
    const flow = imported.flow!;
    expect(flow.declarations).toContain('procedure Greet(name) is');
    expect(flow.declarations).toContain('function Pick(key) is');
    expect(validateFlow(flow).filter((p) => p.severity === 'error')).toEqual([]);
    // a code node calling a procedure the declarations do not define is an error in the node
    const broken = { ...flow, declarations: flow.declarations!.replace('procedure Greet', 'procedure Hello') };
    const errors = validateFlow(broken).filter((p) => p.severity === 'error');
    expect(errors.map((p) => [p.nodeType, p.code])).toContainEqual(['code', 'CGPL201']);
    const original = join(dir, 'greet.sppr');
    const back = join(dir, 'greet-back.sppr');
    await writeFile(original, PROGRAM);
    await writeFile(back, compileToCgpl(flow).text);
    const [a, b] = [await load(original), await load(back)];
    for (const caller of [[{ listen: true as const }, { dtmf: '1' }], [{ dtmf: '2' }], []]) {
      const plan = { caller, smtpUp: true, account: 'ivanov', language: 'english' };
      const [x, y] = [await runOn(a, 'cgpl', plan), await runOn(b, 'cgpl', plan)];
      expect(y.events).toEqual(x.events);
      if (caller.length === 0)
        expect(y.events.filter((e) => e.kind === 'prompt-started').map((e) => e.name)).toEqual([
          'CallbackBusy',
          'CallbackBusy',
          'Failure',
        ]);
    }
  });
});
