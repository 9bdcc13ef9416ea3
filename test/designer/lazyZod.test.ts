// The page keeps zod out of its start-up bundle: new nodes get hand-written defaults, and the zod
// checks (autosave, an unchecked opened flow, paste) are loaded on demand. These say the on-demand
// paths still behave as the eager ones did.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowNode } from '../../compiler/flow/schema';
import { NODE_TYPES } from '../../compiler/flow/model';
import type { ApiClient } from '../../designer/api/client';
import { runAction } from '../../designer/actions';
import { makeNode } from '../../designer/store/docOps';
import { callbackFlow, testContext } from './helpers';

const sample = () => JSON.parse(readFileSync('samples/callback/flow.json', 'utf8')) as Record<string, unknown>;
const MODIFIED = Date.UTC(2026, 0, 1);

function withFiles(files: Record<string, unknown>) {
  const ctx = testContext();
  const api = {
    openFlow: async (path: string) => ({ flow: files[path], modified: new Date(MODIFIED).toISOString() }),
    listFiles: async () => [],
  } as unknown as ApiClient;
  return { ...ctx, api };
}

describe('new nodes without zod', () => {
  it.each(NODE_TYPES.map((t) => [t]))('a new %s node is what the schema would fill in', (type) => {
    const made = makeNode(type, 'n1', { x: 10.4, y: 19.6 });
    const parsed = FlowNode.parse({ id: 'n1', type, position: { x: 10, y: 20 } });
    expect(made).toEqual(parsed);
    // Same key order too: a new node serialises like a loaded one (autosave compares JSON text).
    expect(JSON.stringify(made)).toBe(JSON.stringify(parsed));
  });

  it('each new node has its own arrays', () => {
    const a = makeNode('menu', 'a', { x: 0, y: 0 });
    const b = makeNode('menu', 'b', { x: 0, y: 0 });
    expect(a.data).not.toBe(b.data);
    if (a.type === 'menu' && b.type === 'menu') expect(a.data.options).not.toBe(b.data.options);
  });
});

describe('opening a file', () => {
  it('an unchecked document (no defaults filled in) goes through the full check', async () => {
    const raw = sample();
    delete raw.notes;
    const ctx = withFiles({ 'a.json': raw });
    await runAction('open', { path: 'a.json' }, ctx);
    expect(ctx.flow.getState().path).toBe('a.json');
    expect(ctx.flow.getState().doc).toEqual({ ...callbackFlow(), notes: [] });
  });

  it("a document that is not a flow gives the checker's message and leaves the flow alone", async () => {
    const ctx = withFiles({
      'bad.json': { format: 'ivr-studio/flow@1', name: 'x', nodes: [{ id: 'a', type: 'warp' }] },
    });
    const before = ctx.flow.getState().doc;
    await runAction('open', { path: 'bad.json' }, ctx);
    expect(ctx.flow.getState().doc).toBe(before);
    expect(ctx.messages().at(-1)).toMatch(/bad\.json is not a flow: .*nodes/);
  });

  it('offers a newer, different autosave, and not an older one', async () => {
    const doc = callbackFlow();
    const ctx = withFiles({ 'a.json': doc, 'b.json': doc });
    const edited = { ...doc, description: 'edited' };
    ctx.autosave.records.set('a.json', { path: 'a.json', savedAt: MODIFIED + 1000, base: null, doc: edited });
    ctx.autosave.records.set('b.json', { path: 'b.json', savedAt: MODIFIED - 1000, base: null, doc: edited });
    await runAction('open', { path: 'a.json' }, ctx);
    expect(ctx.ui.getState().recovery?.doc).toEqual(edited);
    await runAction('open', { path: 'b.json' }, ctx);
    expect(ctx.ui.getState().recovery).toBeNull();
  });

  it('an autosave read for a file opened over meanwhile is not offered for the new one', async () => {
    const doc = callbackFlow();
    let deliverB!: (v: unknown) => void;
    const ctx = testContext();
    const api = {
      openFlow: (path: string) =>
        path === 'a.json'
          ? Promise.resolve({ flow: doc, modified: MODIFIED })
          : new Promise((resolve) => {
              deliverB = resolve;
            }),
      listFiles: async () => [],
    } as unknown as ApiClient;
    const page = { ...ctx, api };
    ctx.autosave.records.set('a.json', {
      path: 'a.json',
      savedAt: MODIFIED + 1000,
      base: null,
      doc: { ...doc, description: 'edited' },
    });
    const openA = runAction('open', { path: 'a.json' }, page);
    const openB = runAction('open', { path: 'b.json' }, page);
    // b.json arrives (and loads) before a.json's autosave check has finished loading.
    deliverB({ flow: doc, modified: MODIFIED });
    await Promise.all([openA, openB]);
    expect(page.flow.getState().path).toBe('b.json');
    expect(page.ui.getState().recovery).toBeNull();
  });
});
