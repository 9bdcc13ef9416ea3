// "Generate from text" in the Prompts panel: the API client against a real server, then the store.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from '../../designer/api/client';
import { generatePlaceholder } from '../../designer/panels/PromptsPanel';
import { selectProblems } from '../../designer/store/derived';
import { startTestServer, type TestServer } from '../server/helpers';
import { callbackFlow, testContext } from './helpers';

let server: TestServer;
let api: ApiClient;

beforeAll(async () => {
  server = await startTestServer();
  api = new ApiClient(server.token, server.url);
});

afterAll(async () => {
  await server.dispose();
});

describe('ApiClient.generatePrompt', () => {
  it('posts to /api/prompt/tts with the token and returns where the file went', async () => {
    const r = await api.generatePrompt({ path: 'callback/flow.json', prompt: 'Hi', language: 'german', text: 'Hallo' });
    expect(r).toEqual({ file: 'callback/german/Hi.wav', relative: 'german/Hi.wav' });
    expect((await stat(join(server.workspace, 'callback/german/Hi.wav'))).size).toBeGreaterThan(44 + 1000);
  }, 15_000);

  it("throws an ApiError carrying the server's message", async () => {
    // No engine speaks Klingon (russian now has espeak-ng).
    const err = await api
      .generatePrompt({ path: 'callback/flow.json', prompt: 'Hi', language: 'klingon', text: 'nuqneH' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(400);
    expect((err as ApiError).message).toMatch(/no text-to-speech voice is known for .*klingon/);
  });
});

describe('generatePlaceholder', () => {
  it('sets the file as one undoable change, and the problem goes away', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    // German: a mespeak voice, so the test does not depend on espeak-ng being installed.
    ctx.flow.getState().change((d) => ({
      ...d,
      languages: ['english', 'german'],
      prompts: {
        ...d.prompts,
        Placeholder: { files: { english: 'CallbackBusy.wav' }, text: { german: 'Bitte warten' } },
      },
    }));
    const problems = () =>
      selectProblems(ctx.flow.getState().doc).filter((p) => p.field === 'prompts.Placeholder.files.german');
    expect(problems()).toHaveLength(1);

    const relative = await generatePlaceholder(api, ctx.flow, {
      path: 'callback/flow.json',
      prompt: 'Placeholder',
      language: 'german',
    });
    expect(relative).toBe('german/Placeholder.wav');
    expect(ctx.flow.getState().doc.prompts.Placeholder!.files).toEqual({
      english: 'CallbackBusy.wav',
      german: 'german/Placeholder.wav',
    });
    expect(problems()).toEqual([]);

    ctx.flow.getState().undo();
    expect(ctx.flow.getState().doc.prompts.Placeholder!.files.german).toBeUndefined();
    expect(problems()).toHaveLength(1);
  }, 15_000);

  it('leaves the document alone when the server refuses', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    const before = ctx.flow.getState().doc;
    const refusing = {
      generatePrompt: vi.fn(async () => {
        throw new ApiError('no voice', 400);
      }),
    };
    await expect(
      generatePlaceholder(refusing, ctx.flow, {
        path: 'callback/flow.json',
        prompt: 'CallbackBusy',
        language: 'russian',
      }),
    ).rejects.toThrow('no voice');
    expect(ctx.flow.getState().doc).toBe(before);
    expect(refusing.generatePrompt).toHaveBeenCalledWith(
      expect.objectContaining({
        prompt: 'CallbackBusy',
        language: 'russian',
        text: 'В данный момент специалист не может подойти к телефону.',
        defaultLanguage: 'english',
      }),
    );
  });
});
