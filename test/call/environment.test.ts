import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import {
  directoryEnvironment,
  flowEnvironment,
  resolveAccount,
  wavDurationMs,
  MISSING_PROMPT_MS,
} from '../../runtime/call/environment';
import { FlowDocument, PbxEnvironment } from '../../compiler/flow/schema';
import { wavBytes, writeWav } from './wav';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ivr-env-'));
  await writeWav(join(dir, 'Welcome.wav'), 1500);
  await writeWav(join(dir, 'russian', 'Welcome.wav'), 2250);
  await writeWav(join(dir, 'OnlyRoot.wav'), 500);
  await writeWav(join(dir, 'prompts', 'hello-en.wav'), 800);
  await writeWav(join(dir, 'prompts', 'hello-ru.wav'), 900);
  await writeFile(join(dir, 'Broken.wav'), 'this is not audio');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('directory environment', () => {
  it('reads the language folder first, then the root', async () => {
    const env = directoryEnvironment(dir);
    expect(await env.resolvePrompt('Welcome', 'russian')).toEqual({
      name: 'Welcome',
      language: 'russian',
      path: join(dir, 'russian', 'Welcome.wav'),
      durationMs: 2250,
    });
    expect(await env.resolvePrompt('OnlyRoot', 'russian')).toMatchObject({
      language: 'english',
      path: join(dir, 'OnlyRoot.wav'),
      durationMs: 500,
    });
    expect(await env.resolvePrompt('Welcome', 'english')).toMatchObject({
      path: join(dir, 'Welcome.wav'),
      durationMs: 1500,
    });
    expect(await env.resolvePrompt('Welcome.wav', 'french')).toMatchObject({ language: 'english', durationMs: 1500 });
  });

  it('a missing or broken file gives a short default and a reason, never an error', async () => {
    const env = directoryEnvironment(dir);
    const missing = await env.resolvePrompt('Nothing', 'russian');
    expect(missing).toMatchObject({ path: null, durationMs: MISSING_PROMPT_MS });
    expect(missing.problem).toContain(join(dir, 'russian', 'Nothing.wav'));
    expect((await env.resolvePrompt('Broken', 'english')).problem).toMatch(/Broken\.wav: not a WAV file/);
    expect((await env.resolvePrompt('../Welcome', 'english')).problem).toBe('not a plain file name');
    expect((await env.resolvePrompt('Welcome', '../..')).path).toBe(join(dir, 'Welcome.wav'));
  });
});

describe('flow environment', () => {
  const flow = FlowDocument.parse({
    format: 'ivr-studio/flow@1',
    name: 'demo',
    nodes: [],
    languages: ['english', 'russian', 'german'],
    prompts: {
      Hello: { files: { english: 'prompts/hello-en.wav', russian: 'prompts/hello-ru.wav' } },
      Gone: { files: { english: 'prompts/gone.wav' } },
    },
    environment: {
      accounts: [{ name: 'petrov', language: 'russian', realName: 'Petr Petrov' }],
      defaultAccount: 'petrov',
    },
  });

  it('uses the prompt library, then the default language', async () => {
    const env = flowEnvironment(flow, dir);
    expect(await env.resolvePrompt('Hello', 'russian')).toMatchObject({ language: 'russian', durationMs: 900 });
    expect(await env.resolvePrompt('Hello', 'german')).toMatchObject({ language: 'english', durationMs: 800 });
    expect(await env.resolvePrompt('Gone', 'english')).toMatchObject({ path: null, durationMs: MISSING_PROMPT_MS });
  });

  it('falls back to the folder rule for names outside the library', async () => {
    const env = flowEnvironment(flow, dir);
    expect(await env.resolvePrompt('Welcome', 'russian')).toMatchObject({ language: 'russian', durationMs: 2250 });
  });

  it('resolves accounts by name or e-mail', () => {
    const env = flowEnvironment(flow, dir);
    expect(env.account()).toMatchObject({
      name: 'petrov',
      email: 'petrov@company.com',
      language: 'russian',
      preferences: { RealName: 'Petr Petrov', Language: 'russian' },
    });
    expect(env.account('PETROV@company.com').name).toBe('petrov');
    expect(env.account('someone@other.org')).toMatchObject({
      email: 'someone@other.org',
      domain: 'other.org',
      language: 'english',
    });
    expect(resolveAccount(PbxEnvironment.parse({ domain: 'x.org' }), 'sales')).toMatchObject({
      email: 'sales@x.org',
      domain: 'x.org',
    });
  });
});

describe('wavDurationMs', () => {
  it('reads the length wavefile wrote', () => {
    expect(wavDurationMs(wavBytes(1234))).toBe(1234);
    expect(wavDurationMs(wavBytes(1000, 16000))).toBe(1000);
  });

  it('never throws on arbitrary bytes', () => {
    const header = wavBytes(10).subarray(0, 44);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, withHeader) => {
        const bytes = withHeader ? new Uint8Array([...header.subarray(0, 36), ...tail]) : tail;
        const ms = wavDurationMs(bytes);
        return ms === null || (Number.isFinite(ms) && ms >= 0);
      }),
      { numRuns: 300 },
    );
  });
});
