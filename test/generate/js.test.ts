import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowDocument } from '../../compiler/flow/schema';
import { compileToJs } from '../../compiler/generate/js';
import { printJs } from '../../compiler/generate/jsPrinter';
import { NO_POS } from '../../compiler/cgpl/ast';
import { arbitraryFlow } from './arbitraries';
import { importModule } from './importModule';
import { TestCall } from '../helpers/testCall';

const callback = FlowDocument.parse(
  JSON.parse(readFileSync(new URL('./fixtures/callback.json', import.meta.url), 'utf8')),
);

describe('compileToJs', () => {
  it('runs the callback flow: four prompts, the mail, the trailer', async () => {
    const main = await importModule(compileToJs(callback).text);
    const call = new TestCall({ script: ['5551234#'] });
    await main(call);
    expect(call.actions).toEqual([
      'accept',
      'play CallbackBusy',
      'play CallbackLater',
      'play CallbackNumber',
      'play CallbackClearNumber',
      'mail Contact phone: 5551234',
      'play CallbackTrailer',
    ]);
    expect(call.mailed[0]).toMatchObject({
      from: 'CallbackMailer@company.com',
      to: 'ivanov@company.com',
      headers: null,
      content: '',
    });
    expect(call.nodes).toEqual(['number', 'mail', 'thanks']);
  });

  it('clears the number on * without keeping the star (the seed quirk fixed)', async () => {
    const main = await importModule(compileToJs(callback).text);
    const call = new TestCall({ script: ['12*', '555#'] });
    await main(call);
    expect(call.mailed[0]!.subject).toBe('Contact phone: 555');
    expect(call.actions.filter((l) => l === 'play CallbackClearNumber')).toHaveLength(2);
  });

  it('plays the failure prompts when the mail is refused, and sends nothing for an empty number', async () => {
    const main = await importModule(compileToJs(callback).text);
    const refused = new TestCall({ script: ['7#'], email: 'queue full' });
    await main(refused);
    expect(refused.actions.slice(-2)).toEqual(['play Failure', 'play CallbackNotAvailable']);
    const empty = new TestCall({ script: ['#'] });
    await main(empty);
    expect(empty.mailed).toEqual([]);
    expect(empty.emails).toEqual([]);
  });

  it('refuses AST it does not know with an internal error', () => {
    expect(() =>
      printJs({
        kind: 'Program',
        decls: [
          {
            kind: 'Entry',
            name: 'Main',
            style: 'basic',
            pos: NO_POS,
            body: [{ kind: 'While', cond: { kind: 'NullLit', pos: NO_POS }, body: [], pos: NO_POS }],
          },
        ],
      }),
    ).toThrow(/internal error/);
  });

  it('random flows compile to modules that load and run within bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbitraryFlow(),
        fc.string({ unit: fc.constantFrom(...'0123456789*#'), maxLength: 12 }),
        async (flow, digits) => {
          const { text } = compileToJs(flow);
          expect(
            () => new Function(text.replace('export default async function', 'return async function')),
          ).not.toThrow();
          const main = await importModule(text);
          const call = new TestCall({ script: [digits], maxOperations: 2000 });
          await main(call).catch((e: Error) => {
            // endless cycles without input, and '+' on a recording are the flow's own problems
            if (!/too many steps|'\+' needs/.test(e.message)) throw e;
          });
        },
      ),
      { numRuns: 150 },
    );
  });
});
