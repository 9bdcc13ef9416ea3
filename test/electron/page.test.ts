import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DOCUMENT_STATE_SCRIPT, EDITING_TEXT_SCRIPT, runActionScript } from '../../electron/pageScripts';

/** A page world with a designer stand-in that records runAction calls. */
function page(opts: { missing?: string[]; activeElement?: unknown; flow?: unknown } = {}) {
  const calls: Array<[string, unknown]> = [];
  const ui = { rightTab: 'inspector' };
  const window = {
    ivrStudio: {
      runAction: async (name: string, arg: unknown) => {
        // The designer's runAction rejects a name it has no action for (designer/actions/index.ts).
        if (opts.missing?.includes(name)) throw new Error(`runAction: no action named '${name}'`);
        calls.push([name, arg]);
      },
      ctx: { ui: { getState: () => ({ set: (patch: object) => Object.assign(ui, patch) }) }, flow: opts.flow },
    },
  };
  const run = (code: string) =>
    runInNewContext(code, { window, document: { activeElement: opts.activeElement ?? null } }) as
      | Promise<unknown>
      | unknown;
  return { calls, ui, run };
}

describe('runActionScript', () => {
  it('runs the designer action with its argument', async () => {
    const p = page();
    expect(await p.run(runActionScript('undo')!)).toBe(true);
    expect(await p.run(runActionScript('open', { path: 'callback/flow.json' })!)).toBe(true);
    expect(p.calls).toEqual([
      ['undo', undefined],
      ['open', { path: 'callback/flow.json' }],
    ]);
  });

  it('answers false before the designer is up', async () => {
    expect(await runInNewContext(runActionScript('save')!, { window: {} })).toBe(false);
  });

  it("passes the designer's refusal of an unknown action on to the shell", async () => {
    const p = page({ missing: ['bogus'] });
    await expect(p.run(runActionScript('bogus')!)).rejects.toThrow("runAction: no action named 'bogus'");
    expect(p.calls).toEqual([]);
  });

  it('refuses names that are not plain identifiers', () => {
    for (const bad of ['', 'a b', 'x"); evil(); ("', 'a.b', '1abc', '__proto__x;', 'a'.repeat(65)])
      expect(runActionScript(bad), bad).toBeNull();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(runActionScript('open', cyclic)).toBeNull();
    expect(runActionScript('open', () => 1)).toBeNull();
  });

  it('passes any name and JSON argument through unchanged, never running anything else (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 20 }), fc.jsonValue(), async (name, arg) => {
        const script = runActionScript(name, arg);
        if (script === null) {
          expect(/^[A-Za-z][A-Za-z0-9]{0,63}$/.test(name)).toBe(false);
          return;
        }
        const p = page();
        await p.run(script);
        expect(p.calls).toHaveLength(1);
        expect(p.calls[0]![0]).toBe(name);
        expect(p.calls[0]![1]).toEqual(JSON.parse(JSON.stringify(arg)));
      }),
      { numRuns: 300 },
    );
  });
});

describe('reading the page', () => {
  it('DOCUMENT_STATE_SCRIPT reads name, path and dirty from the flow store', () => {
    const doc = { name: 'callback' };
    const saved = { getState: () => ({ doc, savedDoc: doc, path: 'callback/flow.json' }) };
    const edited = { getState: () => ({ doc: { name: 'menu' }, savedDoc: doc, path: null }) };
    expect(page({ flow: saved }).run(DOCUMENT_STATE_SCRIPT)).toEqual({
      name: 'callback',
      path: 'callback/flow.json',
      dirty: false,
    });
    expect(page({ flow: edited }).run(DOCUMENT_STATE_SCRIPT)).toEqual({ name: 'menu', path: null, dirty: true });
    expect(runInNewContext(DOCUMENT_STATE_SCRIPT, { window: {} })).toBeNull();
  });

  it('EDITING_TEXT_SCRIPT is true in inputs, text areas and editable content only', () => {
    const at = (el: unknown) => page({ activeElement: el }).run(EDITING_TEXT_SCRIPT);
    expect(at({ tagName: 'INPUT', type: 'text' })).toBe(true);
    expect(at({ tagName: 'TEXTAREA' })).toBe(true);
    expect(at({ tagName: 'DIV', isContentEditable: true })).toBe(true);
    expect(at({ tagName: 'INPUT', type: 'checkbox' })).toBe(false);
    expect(at({ tagName: 'DIV', isContentEditable: false })).toBe(false);
    expect(at(null)).toBe(false);
  });
});
