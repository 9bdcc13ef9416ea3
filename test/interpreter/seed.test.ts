// The seed program (callback.sppr from the article), run verbatim.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCgpl } from '../../compiler/cgpl';
import { runProgram } from '../../runtime/cgpl';
import { TestCall, type TestCallOptions } from '../helpers/testCall';
import { seedText } from '../helpers/seed';

const source = seedText();
const GREETING = ['CallbackBusy', 'CallbackLater', 'CallbackNumber', 'CallbackClearNumber'];

async function call(opts: TestCallOptions) {
  const parsed = parseCgpl(source, 'callback.sppr');
  expect(parsed.diagnostics).toEqual([]);
  const session = new TestCall(opts);
  const result = await runProgram(parsed.program!, session, { file: 'callback.sppr' });
  expect(result.error).toBeUndefined();
  return { session, result };
}

describe('seed callback.sppr', () => {
  it("is the article's program, byte for byte (its SHA-256)", () => {
    expect(createHash('sha256').update(source).digest('hex')).toBe(
      '50247ea69b133059b81bba4d379a071ab54b6037d6263de4c7b3cc3327d86a48',
    );
  });

  it('mails the number typed before #', async () => {
    const { session, result } = await call({ script: ['5551234#'] });
    expect(result.ended).toBe('end');
    expect(session.mailed).toEqual([
      {
        from: 'CallbackMailer@company.com',
        subject: 'Contact phone:5551234',
        to: 'ivanov@company.com',
        headers: null,
        content: '',
      },
    ]);
    expect(session.heard).toEqual([...GREETING, 'CallbackTrailer']);
    expect(session.reads).toEqual([20, 20, 20, 20, 20, 20, 20, 20]);
  });

  it("keeps the seed's quirk: '*' clears the number but is appended itself", async () => {
    const { session } = await call({ script: ['12*34#'] });
    expect(session.mailed.map((e) => e.subject)).toEqual(['Contact phone:*34']);
    // the clear prompt after '*' is skipped: "34#" is already in the buffer
    expect(session.prompts.filter((p) => p.name === 'CallbackClearNumber').map((p) => p.skipped)).toEqual([
      false,
      true,
    ]);
  });

  it('plays Failure and CallbackNotAvailable when the mail cannot be sent', async () => {
    const { session } = await call({ script: ['42#'], email: 'mail server unavailable' });
    expect(session.mailed).toEqual([]);
    expect(session.heard).toEqual([...GREETING, 'Failure', 'CallbackNotAvailable']);
  });

  it('sends nothing when the caller stays silent', async () => {
    const { session, result } = await call({ script: [null] });
    expect(result.ended).toBe('stop');
    expect(session.mailed).toEqual([]);
    expect(session.heard).toEqual(GREETING);
  });

  it('mails the digits typed so far when the caller hangs up', async () => {
    const { session } = await call({ script: ['555', 'hangup'] });
    expect(session.mailed.map((e) => e.subject)).toEqual(['Contact phone:555']);
  });

  it('stops at once when the call cannot be accepted', async () => {
    const { session, result } = await call({ hungUpBeforeAnswer: true, script: ['1#'] });
    expect(result.ended).toBe('stop');
    expect(session.prompts).toEqual([]);
  });
});
