import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { runAction } from '../../designer/actions';
import { isDirty } from '../../designer/store/flowStore';
import { checkAutosave, draftOfPath, memoryAutosave, shouldOfferRecovery } from '../../designer/store/autosave';
import { selectCgpl, selectCgplCheck, selectProblems } from '../../designer/store/derived';
import { validateFlow } from '../../compiler/flow/validate';
import { callbackFlow, testContext } from './helpers';

describe('edit commands', () => {
  it('addNode adds a node with schema defaults and a fresh id, and selects it', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    await runAction('addNode', { type: 'menu', position: { x: 10, y: 20 } }, ctx);
    await runAction('addNode', { type: 'menu', position: { x: 10, y: 20 } }, ctx);
    const { doc, selection } = ctx.flow.getState();
    const menus = doc.nodes.filter((n) => n.type === 'menu');
    expect(menus.map((n) => n.id)).toEqual(['menu1', 'menu2']);
    expect(menus[0]!.data).toMatchObject({ timeout: 5, retries: 3, options: [] });
    expect(selection.nodes).toEqual(['menu2']);
  });

  it('refuses a second start node with a message', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    const before = ctx.flow.getState().doc;
    await runAction('addNode', { type: 'start' }, ctx);
    expect(ctx.flow.getState().doc).toBe(before);
    expect(ctx.messages().join()).toMatch(/already has a start node/);
  });

  it('deleteSelection removes nodes with their edges', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    ctx.flow.getState().select({ nodes: ['mail'], edges: [], notes: ['note1'] });
    await runAction('deleteSelection', undefined, ctx);
    const { doc } = ctx.flow.getState();
    expect(doc.nodes.some((n) => n.id === 'mail')).toBe(false);
    expect(doc.edges.some((e) => e.source === 'mail' || e.target === 'mail')).toBe(false);
    expect(doc.notes).toEqual([]);
    expect(doc.edges).toHaveLength(5);
  });

  it('connect replaces the edge from the same handle and rejects unknown handles', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    await runAction('connect', { source: 'number', sourceHandle: 'empty', target: 'bye' }, ctx);
    const fromEmpty = ctx.flow.getState().doc.edges.filter((e) => e.source === 'number' && e.sourceHandle === 'empty');
    expect(fromEmpty.map((e) => e.target)).toEqual(['bye']);
    const before = ctx.flow.getState().doc;
    await runAction('connect', { source: 'number', sourceHandle: 'nope', target: 'bye' }, ctx);
    await runAction('connect', { source: 'intro', sourceHandle: 'next', target: 'start' }, ctx);
    expect(ctx.flow.getState().doc).toBe(before);
    expect(ctx.messages().join('\n')).toMatch(/no output 'nope'[\s\S]*start node/);
  });

  it('updateNodeData merges data and drops edges of removed menu digits', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    await runAction('addNode', { type: 'menu', position: { x: 0, y: 0 } }, ctx);
    await runAction('updateNodeData', { id: 'menu1', patch: { options: [{ digit: '1' }, { digit: '2' }] } }, ctx);
    await runAction('connect', { source: 'menu1', sourceHandle: '2', target: 'bye' }, ctx);
    expect(ctx.flow.getState().doc.edges.some((e) => e.source === 'menu1')).toBe(true);
    await runAction('updateNodeData', { id: 'menu1', patch: { options: [{ digit: '1' }] } }, ctx);
    expect(ctx.flow.getState().doc.edges.some((e) => e.source === 'menu1')).toBe(false);
  });
});

describe('undo and redo', () => {
  it('undo and redo each command; dirty follows the saved document', async () => {
    const ctx = testContext({ doc: callbackFlow(), path: 'callback/flow.json' });
    const original = ctx.flow.getState().doc;
    expect(isDirty(ctx.flow.getState())).toBe(false);
    await runAction('addNode', { type: 'play' }, ctx);
    const added = ctx.flow.getState().doc;
    expect(isDirty(ctx.flow.getState())).toBe(true);
    await runAction('undo', undefined, ctx);
    expect(ctx.flow.getState().doc).toBe(original);
    expect(isDirty(ctx.flow.getState())).toBe(false);
    await runAction('redo', undefined, ctx);
    expect(ctx.flow.getState().doc).toBe(added);
  });

  it('a drag is one undo step however many moves it had', () => {
    const ctx = testContext({ doc: callbackFlow() });
    const s = ctx.flow.getState();
    const original = s.doc;
    s.beginDrag();
    for (let i = 1; i <= 20; i++) s.dragTo({ intro: { x: 250 + i * 5, y: 150 } });
    s.endDrag({ intro: { x: 400, y: 160 } });
    expect(ctx.flow.getState().doc.nodes.find((n) => n.id === 'intro')!.position).toEqual({ x: 400, y: 160 });
    expect(ctx.flow.temporal.getState().pastStates).toHaveLength(1);
    ctx.flow.getState().undo();
    expect(ctx.flow.getState().doc).toBe(original);
  });

  it('typing in one inspector field is one step; another field or a pause starts a new one', async () => {
    let t = 0;
    const ctx = testContext({ doc: callbackFlow(), now: () => t });
    const original = ctx.flow.getState().doc;
    for (const subject of ['C', 'Ca', 'Cal', 'Call']) {
      t += 100;
      await runAction('updateNodeData', { id: 'mail', patch: { subject }, field: 'subject' }, ctx);
    }
    t += 100;
    await runAction('updateNodeData', { id: 'mail', patch: { body: 'x' }, field: 'body' }, ctx);
    t += 10_000;
    await runAction('updateNodeData', { id: 'mail', patch: { body: 'xy' }, field: 'body' }, ctx);
    expect(ctx.flow.temporal.getState().pastStates).toHaveLength(3);
    ctx.flow.getState().undo();
    ctx.flow.getState().undo();
    const mail = ctx.flow.getState().doc.nodes.find((n) => n.id === 'mail')!;
    expect(mail.data).toMatchObject({ subject: 'Call', body: 'Please call back {{digits}}.' });
    ctx.flow.getState().undo();
    expect(ctx.flow.getState().doc).toBe(original);
  });

  it('load clears the history', () => {
    const ctx = testContext({ doc: callbackFlow() });
    ctx.flow.getState().change((d) => ({ ...d, description: 'x' }));
    ctx.flow.getState().load(callbackFlow(), 'a.json');
    expect(ctx.flow.temporal.getState().pastStates).toHaveLength(0);
  });
});

describe('derived data', () => {
  it('problems and the compiled program are cached by document', () => {
    const doc = callbackFlow();
    expect(selectProblems(doc)).toBe(selectProblems(doc));
    expect(selectProblems(doc)).toEqual(validateFlow(doc));
    const cg = selectCgpl(doc);
    expect(cg.ok && cg.value.text).toContain('entry Main is');
    expect(selectCgpl(doc)).toBe(cg);
  });

  it('the code panel checks the generated program with the shared checker: clean by construction', () => {
    const doc = callbackFlow();
    expect(selectCgplCheck(doc)).toEqual([]);
    expect(selectCgplCheck(doc)).toBe(selectCgplCheck(doc));
  });

  it('a flow with errors gives a message instead of a program', () => {
    const doc = { ...callbackFlow(), nodes: [] };
    const cg = selectCgpl(doc);
    expect(cg.ok).toBe(false);
    expect(!cg.ok && cg.error).toMatch(/error/);
  });
});

describe('autosave', () => {
  it('keeps a record per path in the port, and checks what the server sends', async () => {
    const store = memoryAutosave(() => 1_700_000_000_000);
    await store.write('callback/flow.json', callbackFlow(), 'v1');
    expect(await store.read('callback/flow.json')).toEqual({
      path: 'callback/flow.json',
      savedAt: 1_700_000_000_000,
      base: 'v1',
      doc: callbackFlow(),
    });
    expect(await store.read('other.json')).toBeNull();
    expect((await store.list()).map((a) => a.path)).toEqual(['callback/flow.json']);
    await store.clear('callback/flow.json');
    expect(await store.read('callback/flow.json')).toBeNull();
    const record = { path: 'a.json', savedAt: 5, base: null, doc: callbackFlow() };
    expect(await checkAutosave(JSON.parse(JSON.stringify(record)))).toEqual(record);
  });

  it('rejects damaged records without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const r = await checkAutosave(value);
        return r === null || typeof r.savedAt === 'number';
      }),
      { numRuns: 300 },
    );
    expect(await checkAutosave({ path: 'a', savedAt: 1, doc: { format: 'nope' } })).toBeNull();
  });

  it('a draft path names its draft; a file path does not', () => {
    expect(draftOfPath('.ivr-studio/drafts/0123abcd-ef/flow.json')).toBe('0123abcd-ef');
    expect(draftOfPath('callback/flow.json')).toBeNull();
    expect(draftOfPath('.ivr-studio/drafts/../flow.json')).toBeNull();
  });

  it('offers recovery only for a newer, different document', () => {
    const doc = callbackFlow();
    const changed = { ...doc, description: 'edited' };
    expect(shouldOfferRecovery({ savedAt: 200, doc: changed }, doc, 100)).toBe(true);
    expect(shouldOfferRecovery({ savedAt: 50, doc: changed }, doc, 100)).toBe(false);
    expect(shouldOfferRecovery({ savedAt: 200, doc }, doc, 100)).toBe(false);
    expect(shouldOfferRecovery(null, doc, 100)).toBe(false);
  });
});
