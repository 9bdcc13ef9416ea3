// The callback sample behaves like the seed article's program (test/fixtures/seed-callback.sppr),
// except for the seed's quirk: after '*' clears the number it appends the '*' itself.
import { describe, expect, it } from 'vitest';
import { VirtualClock, type CallerStep } from '../../runtime/call';
import { loadProgram, simulateCall, type Program } from '../../runtime/host';
import { memoryMailer } from '../differential/harness';
import { SEED } from '../helpers/seed';

const AT = '2026-11-29T23:00:00+03:00';

interface Heard {
  prompts: string[];
  email: { to: string; number: string; status: 'queued' | 'failed' } | null;
  endedBy: string | null;
}

async function load(path: string, options: { environmentDir?: string } = {}): Promise<Program> {
  const { program, errors } = await loadProgram(path, options);
  expect(errors).toEqual([]);
  return program!;
}

/** What the caller heard and what the account got; the number is the subject after "Contact phone:". */
async function call(program: Program, caller: CallerStep[], smtpUp = true): Promise<Heard> {
  const result = await simulateCall(program, {
    clock: new VirtualClock(new Date(AT)),
    caller,
    mailer: memoryMailer(smtpUp),
    // The same account and language for both: the seed's plain folder knows no account settings.
    account: 'ivanov',
    language: 'english',
  });
  expect(result.trace.ofKind('error')).toEqual([]);
  const [mail, ...more] = result.emails;
  expect(more).toEqual([]);
  return {
    prompts: result.trace.ofKind('prompt-started').map((e) => e.name),
    email: mail
      ? {
          to: mail.request.to,
          number: mail.request.subject.replace(/^Contact phone:\s*/, ''),
          status: mail.error === null ? 'queued' : 'failed',
        }
      : null,
    endedBy: result.endedBy,
  };
}

const INTRO = ['CallbackBusy', 'CallbackLater', 'CallbackNumber', 'CallbackClearNumber'];

const cases: { name: string; caller: CallerStep[]; smtpUp?: boolean; expected: Heard }[] = [
  {
    name: 'types 5551234#',
    caller: [{ listen: true }, { dtmf: '5551234#' }],
    expected: {
      prompts: [...INTRO, 'CallbackTrailer'],
      email: { to: 'ivanov@company.com', number: '5551234', status: 'queued' },
      endedBy: 'program',
    },
  },
  {
    name: 'types 555 and then nothing (the 20 s timeout sends what there is)',
    caller: [{ listen: true }, { dtmf: '555' }],
    expected: {
      prompts: [...INTRO, 'CallbackTrailer'],
      email: { to: 'ivanov@company.com', number: '555', status: 'queued' },
      endedBy: 'program',
    },
  },
  {
    name: 'types nothing',
    caller: [],
    expected: { prompts: INTRO, email: null, endedBy: 'program' },
  },
  {
    name: 'hangs up during the intro',
    caller: [{ wait: 6000 }, { hangup: true }],
    expected: { prompts: INTRO.slice(0, 2), email: null, endedBy: 'caller' },
  },
  {
    name: 'types 5551234# with the mail relay down',
    caller: [{ listen: true }, { dtmf: '5551234#' }],
    smtpUp: false,
    expected: {
      prompts: [...INTRO, 'Failure', 'CallbackNotAvailable'],
      email: { to: 'ivanov@company.com', number: '5551234', status: 'failed' },
      endedBy: 'program',
    },
  },
];

describe('the callback sample behaves like the seed program', () => {
  it.each(cases)('the caller $name', async ({ caller, smtpUp, expected }) => {
    const seed = await load(SEED, { environmentDir: 'samples/callback' });
    const flow = await load('samples/callback/flow.json');
    const fromSeed = await call(seed, caller, smtpUp);
    const fromFlow = await call(flow, caller, smtpUp);
    expect(fromSeed).toEqual(expected);
    expect(fromFlow).toEqual(fromSeed);
  });

  it('except for the * quirk: after 12*34# the seed e-mails "*34", the flow "34"', async () => {
    const seed = await load(SEED, { environmentDir: 'samples/callback' });
    const flow = await load('samples/callback/flow.json');
    const caller: CallerStep[] = [{ listen: true }, { dtmf: '12*34#' }];
    const fromSeed = await call(seed, caller);
    const fromFlow = await call(flow, caller);
    expect(fromSeed.email?.number).toBe('*34');
    expect(fromFlow.email?.number).toBe('34');
    // everything else is the same: typed ahead, the replayed hint is skipped in both
    expect({ ...fromFlow, email: { ...fromFlow.email, number: '*34' } }).toEqual(fromSeed);
    expect(fromSeed.prompts).toEqual([...INTRO, 'CallbackTrailer']);
  });

  it('and the subjects differ only in the space after the colon; the flow adds a body', async () => {
    const seed = await load(SEED, { environmentDir: 'samples/callback' });
    const flow = await load('samples/callback/flow.json');
    const caller: CallerStep[] = [{ listen: true }, { dtmf: '5551234#' }];
    const subjects: string[] = [];
    const bodies: unknown[] = [];
    for (const program of [seed, flow]) {
      const mailer = memoryMailer(true);
      await simulateCall(program, { clock: new VirtualClock(new Date(AT)), caller, mailer, account: 'ivanov' });
      subjects.push(mailer.sent[0]!.subject);
      bodies.push(mailer.sent[0]!.content);
    }
    expect(subjects).toEqual(['Contact phone:5551234', 'Contact phone: 5551234']);
    expect(bodies).toEqual(['', 'Please call back 5551234.']);
  });
});
