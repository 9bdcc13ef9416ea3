import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../runtime/cli/main';
import { runAction } from '../../designer/actions';
import { actionForKey } from '../../designer/actions/shortcuts';
import { memoryClipboard } from '../../designer/actions/types';
import { autoLayout } from '../../designer/layout/autoLayout';
import { validateFlow } from '../../compiler/flow/validate';
import { compileToCgpl } from '../../compiler/generate';
import { emptyFlow } from '../../designer/store/flowStore';
import { callbackFlow, testContext } from './helpers';
import { estimateSize } from '../../designer/layout/sizes';
import { outputHandles } from '../../compiler/flow/model';
import type { FlowDocument } from '../../compiler/flow/schema';

/** Pairs of (pasted, other) nodes whose estimated boxes overlap. */
function overlapping(doc: FlowDocument, pasted: string[]): string[] {
  const box = (n: FlowDocument['nodes'][number]) => ({
    ...n.position,
    ...estimateSize(n.type, outputHandles(n).length),
  });
  const out: string[] = [];
  for (const id of pasted) {
    const a = box(doc.nodes.find((n) => n.id === id)!);
    for (const n of doc.nodes) {
      if (n.id === id) continue;
      const b = box(n);
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height)
        out.push(`${id}/${n.id}`);
    }
  }
  return out;
}

describe('copy and paste', () => {
  it('pastes into another flow with fresh ids, offset positions and the edges between copied nodes', async () => {
    const clipboard = memoryClipboard();
    const a = testContext({ doc: callbackFlow() }, clipboard);
    const b = testContext({ doc: callbackFlow() }, clipboard);
    a.flow.getState().select({ nodes: ['mail', 'trailer', 'failure'], edges: [], notes: [] });
    await runAction('copy', undefined, a);
    await runAction('paste', undefined, b);
    const doc = b.flow.getState().doc;
    const pasted = b.flow.getState().selection.nodes;
    expect(pasted).toEqual(['sendEmail1', 'play1', 'play2']);
    const ids = doc.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    const original = doc.nodes.find((n) => n.id === 'mail')!;
    const copy = doc.nodes.find((n) => n.id === 'sendEmail1')!;
    expect(copy.data).toEqual(original.data);
    // All copies move by one offset (their layout kept), to a place where they cover no node.
    const offsets = pasted.map((id, i) => {
      const c = doc.nodes.find((n) => n.id === id)!.position;
      const o = doc.nodes.find((n) => n.id === ['mail', 'trailer', 'failure'][i])!.position;
      return { x: c.x - o.x, y: c.y - o.y };
    });
    expect(new Set(offsets.map((o) => `${o.x},${o.y}`)).size).toBe(1);
    expect(offsets[0]!.x).toBeGreaterThanOrEqual(40);
    expect(overlapping(doc, pasted)).toEqual([]);
    expect(copy.position).not.toEqual(original.position);
    const inner = doc.edges.filter((e) => pasted.includes(e.source));
    expect(inner.map((e) => [e.source, e.sourceHandle, e.target])).toEqual([
      ['sendEmail1', 'sent', 'play1'],
      ['sendEmail1', 'failed', 'play2'],
    ]);
    expect(validateFlow(doc).filter((p) => p.severity === 'error' && p.message.includes('duplicate'))).toEqual([]);
  });

  it('carries the prompts the copied nodes use into an empty flow', async () => {
    const clipboard = memoryClipboard();
    const a = testContext({ doc: callbackFlow() }, clipboard);
    const b = testContext({ doc: emptyFlow() }, clipboard);
    a.flow.getState().select({ nodes: ['start', 'intro'], edges: [], notes: [] });
    await runAction('copy', undefined, a);
    await runAction('paste', undefined, b);
    const doc = b.flow.getState().doc;
    // The target has a start node of its own: the copied one is left out.
    expect(doc.nodes.filter((n) => n.type === 'start')).toHaveLength(1);
    expect(Object.keys(doc.prompts).sort()).toEqual([
      'CallbackBusy',
      'CallbackClearNumber',
      'CallbackLater',
      'CallbackNumber',
    ]);
  });

  it('a second paste of the same text lands further along', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    ctx.flow.getState().select({ nodes: ['bye'], edges: [], notes: [] });
    await runAction('copy', undefined, ctx);
    await runAction('paste', undefined, ctx);
    await runAction('paste', undefined, ctx);
    const doc = ctx.flow.getState().doc;
    const copies = doc.nodes.filter((n) => n.type === 'hangup' && n.id !== 'bye' && n.id !== 'nothing');
    expect(copies).toHaveLength(2);
    expect(copies[1]!.position).not.toEqual(copies[0]!.position);
    expect(
      overlapping(
        doc,
        copies.map((c) => c.id),
      ),
    ).toEqual([]);
  });

  it.each([
    ['not json', /not JSON/],
    ['{"hello": 1}', /expected "format"/],
    ['{"format":"ivr-studio/clip@1","nodes":[{"id":"x","type":"warp"}]}', /damaged at nodes\.0/],
  ])('pasting %s gives a clear error and changes nothing', async (text, message) => {
    const ctx = testContext({ doc: callbackFlow() });
    const before = ctx.flow.getState().doc;
    await runAction('paste', { text }, ctx);
    expect(ctx.flow.getState().doc).toBe(before);
    expect(ctx.flow.temporal.getState().pastStates).toHaveLength(0);
    expect(ctx.messages().at(-1)).toMatch(message);
  });

  it('duplicate copies the selection without touching the clipboard', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    await ctx.clipboard.writeText('keep');
    ctx.flow.getState().select({ nodes: ['intro'], edges: [], notes: [] });
    await runAction('duplicate', undefined, ctx);
    expect(ctx.flow.getState().selection.nodes).toEqual(['play1']);
    expect(await ctx.clipboard.readText()).toBe('keep');
  });
});

describe('layout and export', () => {
  it('autoLayout gives finite positions for every node of the callback sample, as one undo step', async () => {
    const doc = callbackFlow();
    const positions = await autoLayout(doc);
    expect(Object.keys(positions).sort()).toEqual(doc.nodes.map((n) => n.id).sort());
    for (const p of Object.values(positions)) expect(Number.isFinite(p.x) && Number.isFinite(p.y)).toBe(true);
    // Start is above what it leads to.
    expect(positions.start!.y).toBeLessThan(positions.intro!.y);
    const ctx = testContext({ doc });
    await runAction('autoLayout', undefined, ctx);
    expect(ctx.flow.temporal.getState().pastStates).toHaveLength(1);
  });

  it("autoLayout keeps each node's branches in the order of its outputs, whatever order they were drawn in", async () => {
    const doc = callbackFlow();
    const left = (positions: Record<string, { x: number }>, from: string, first: string, second: string) => {
      const to = (h: string) => doc.edges.find((e) => e.source === from && e.sourceHandle === h)!.target;
      return positions[to(first)]!.x < positions[to(second)]!.x;
    };
    for (const edges of [doc.edges, [...doc.edges].reverse()]) {
      const positions = await autoLayout({ ...doc, edges });
      expect(left(positions, 'mail', 'sent', 'failed')).toBe(true);
      expect(left(positions, 'number', 'done', 'empty')).toBe(true);
    }
  });

  it('autoLayout copes with a menu that loops back to itself', async () => {
    const ctx = testContext({ doc: emptyFlow() });
    await runAction('addNode', { type: 'menu', position: { x: 0, y: 0 } }, ctx);
    await runAction('updateNodeData', { id: 'menu1', patch: { options: [{ digit: '1' }, { digit: '9' }] } }, ctx);
    await runAction('connect', { source: 'start', sourceHandle: 'next', target: 'menu1' }, ctx);
    await runAction('connect', { source: 'menu1', sourceHandle: '9', target: 'menu1' }, ctx);
    await runAction('addNode', { type: 'play', position: { x: 0, y: 0 } }, ctx);
    await runAction('connect', { source: 'menu1', sourceHandle: '1', target: 'play1' }, ctx);
    await runAction('connect', { source: 'play1', sourceHandle: 'next', target: 'menu1' }, ctx);
    const positions = await autoLayout(ctx.flow.getState().doc);
    expect(Object.values(positions).every((p) => Number.isFinite(p.x) && Number.isFinite(p.y))).toBe(true);
    expect(Object.keys(positions)).toHaveLength(3);
  });

  it("exportSppr downloads exactly the compiler's bytes: UTF-8, no BOM", async () => {
    const doc = callbackFlow();
    const ctx = testContext({ doc });
    await runAction('exportSppr', undefined, ctx);
    expect(ctx.downloads.map((d) => d.name)).toEqual(['callback.sppr']);
    const bytes = new Uint8Array(await ctx.downloads[0]!.data.arrayBuffer());
    expect(Buffer.from(bytes).equals(Buffer.from(compileToCgpl(doc).text, 'utf8'))).toBe(true);
    expect([...bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    // And the bytes `ivr-studio compile` writes.
    const out = join(mkdtempSync(join(tmpdir(), 'designer-')), 'callback.sppr');
    expect(
      await main(['node', 'ivr-studio', 'compile', 'samples/callback/flow.json', '-o', out], {
        out: () => {},
        err: () => {},
      }),
    ).toBe(0);
    expect(Buffer.from(bytes).equals(readFileSync(out))).toBe(true);
  });

  it('export of a flow with errors explains instead of downloading', async () => {
    const ctx = testContext({ doc: { ...callbackFlow(), nodes: [] } });
    await runAction('exportSppr', undefined, ctx);
    expect(ctx.downloads).toEqual([]);
    expect(ctx.messages().at(-1)).toMatch(/cannot export/);
  });
});

describe('shortcuts', () => {
  const key = (k: string, mods: Partial<{ ctrl: boolean; shift: boolean; meta: boolean }> = {}) => ({
    key: k,
    ctrlKey: !!mods.ctrl,
    metaKey: !!mods.meta,
    shiftKey: !!mods.shift,
    altKey: false,
  });

  it('maps the documented keys to actions', () => {
    expect(actionForKey(key('z', { ctrl: true }), false, false)).toBe('undo');
    expect(actionForKey(key('Z', { ctrl: true, shift: true }), false, false)).toBe('redo');
    expect(actionForKey(key('y', { ctrl: true }), false, false)).toBe('redo');
    expect(actionForKey(key('z', { meta: true }), true, false)).toBe('undo');
    expect(actionForKey(key('F', { ctrl: true, shift: true }), false, false)).toBe('fitView');
    expect(actionForKey(key('f', { ctrl: true }), false, false)).toBe('find');
    expect(actionForKey(key('l', { ctrl: true }), false, false)).toBe('autoLayout');
    expect(actionForKey(key('Backspace'), false, false)).toBe('deleteSelection');
    expect(actionForKey(key('?', { shift: true }), false, false)).toBe('showShortcuts');
    expect(actionForKey(key('S', { ctrl: true, shift: true }), false, false)).toBe('saveAs');
  });

  it('leaves typing in fields alone except save', () => {
    expect(actionForKey(key('Backspace'), false, true)).toBeNull();
    expect(actionForKey(key('z', { ctrl: true }), false, true)).toBeNull();
    expect(actionForKey(key('s', { ctrl: true }), false, true)).toBe('save');
  });
});

describe('runAction by name', () => {
  it('showPhone opens the phone panel (the desktop menu’s View ▸ Simulator)', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    ctx.ui.getState().set({ rightTab: 'inspector' });
    await runAction('showPhone', undefined, ctx);
    expect(ctx.ui.getState().rightTab).toBe('phone');
  });

  it('rejects a name that is no action with one clear error, touching nothing', async () => {
    const ctx = testContext({ doc: callbackFlow() });
    const run = runAction as (name: string, arg: unknown, c: typeof ctx) => Promise<void>;
    await expect(run('showSimulator', undefined, ctx)).rejects.toThrow("runAction: no action named 'showSimulator'");
    await expect(run('toString', undefined, ctx)).rejects.toThrow("runAction: no action named 'toString'");
    expect(ctx.ui.getState().toasts).toEqual([]);
  });
});
