import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCgpl, type Expr, type Program, type Stmt } from '../../compiler/cgpl';
import { checkCgpl } from '../../compiler/cgpl/check';
import { formatDiagnostic } from '../../compiler/diagnostics';
import { FLOW_FORMAT, FlowDocument } from '../../compiler/flow/schema';
import { compileToCgpl, compileToJs } from '../../compiler/generate';
import { arbitraryFlow, arbitraryNastyFlow } from './arbitraries';
import { flowOf } from './helpers';

/** Every string literal's value in a parsed program. */
function stringsIn(program: Program): string[] {
  const out: string[] = [];
  const expr = (e: Expr | null | undefined): void => {
    if (!e) return;
    switch (e.kind) {
      case 'String':
        out.push(e.value);
        break;
      case 'Call':
        e.args.forEach(expr);
        break;
      case 'Binary':
        expr(e.left);
        expr(e.right);
        break;
      case 'Unary':
        expr(e.operand);
        break;
      case 'Ternary':
        expr(e.cond);
        expr(e.then);
        expr(e.otherwise);
        break;
      case 'Member':
        expr(e.object);
        if (typeof e.key !== 'string') expr(e.key);
        break;
      case 'Index':
        expr(e.object);
        expr(e.index);
        break;
      default:
        break;
    }
  };
  const stmts = (body: Stmt[]): void => {
    for (const s of body) {
      switch (s.kind) {
        case 'Assign':
          expr(s.target);
          expr(s.value);
          break;
        case 'CallStmt':
          expr(s.call);
          break;
        case 'ExitIf':
          expr(s.cond);
          break;
        case 'If':
          s.branches.forEach((b) => {
            expr(b.cond);
            stmts(b.body);
          });
          if (s.elseBody) stmts(s.elseBody);
          break;
        case 'Loop':
          stmts(s.body);
          break;
        default:
          break;
      }
    }
  };
  for (const d of program.decls) if ('body' in d) stmts(d.body ?? []);
  return out;
}

// A template whose text is exactly `s`: "{{" is written "{{{{".
const asTemplate = (s: string) => s.replace(/\{\{/g, '{{{{');

describe('generated string literals', () => {
  it('any Unicode prompt name, subject and body round-trips through the CG/PL text and parser', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        (s, t) => {
          const flow = flowOf(
            [
              { id: 'p', type: 'play', data: { prompts: [s] } },
              {
                id: 'm',
                type: 'sendEmail',
                data: { subject: asTemplate(s), body: asTemplate(t), from: asTemplate(t) },
              },
            ],
            [
              ['start', 'next', 'p'],
              ['p', 'next', 'm'],
            ],
          );
          const { program, diagnostics } = parseCgpl(compileToCgpl(flow).text);
          expect(diagnostics).toEqual([]);
          const strings = stringsIn(program!);
          expect(strings.filter((x) => x === s).length).toBeGreaterThanOrEqual(s === t ? 4 : 2);
          expect(strings).toContain(t);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('random flows', () => {
  it('always compile to CG/PL that parses cleanly and to JS that loads', () => {
    fc.assert(
      fc.property(arbitraryFlow(10), (flow) => {
        const { text, sourceMap } = compileToCgpl(flow);
        const parsed = parseCgpl(text, 'flow.sppr');
        expect(parsed.diagnostics).toEqual([]);
        // by construction: every call's arity and kind, Void where a value is dropped, no built-in names
        expect(checkCgpl(parsed.program!, { file: 'flow.sppr' }).diagnostics.map((d) => formatDiagnostic(d))).toEqual(
          [],
        );
        expect(text).not.toMatch(/\bgoto\b/);
        expect(sourceMap.lines).toHaveLength(text.split('\n').length - 1);
        const js = compileToJs(flow).text;
        expect(() => new Function(js.replace('export default async function', 'return async function'))).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});

/** A flow of n nodes: a menu every tenth node (its "2" goes back to the previous menu), between them the common steps. */
function bigFlow(n: number): FlowDocument {
  const nodes: unknown[] = [{ id: 'start', type: 'start' }];
  const edges: unknown[] = [];
  const wire = (source: string, sourceHandle: string, target: string) =>
    edges.push({ id: `e${edges.length}`, source, sourceHandle, target });
  const exits = ['1', 'false', 'done', 'next', 'next'];
  let prev = 'start';
  let prevHandle = 'next';
  for (let i = 0; i < n; i++) {
    const kind = i % 10 === 0 ? 0 : (i % 4) + 1;
    const id = `n${i}`;
    if (kind === 0)
      nodes.push({ id, type: 'menu', data: { prompts: ['Menu'], options: [{ digit: '1' }, { digit: '2' }] } });
    else if (kind === 1) nodes.push({ id, type: 'condition', data: { variable: 'x', operator: 'empty' } });
    else if (kind === 2) nodes.push({ id, type: 'collectDigits', data: { prompts: ['Enter'] } });
    else if (kind === 3) nodes.push({ id, type: 'setVariable', data: { variable: 'x', value: '{{digits}}!' } });
    else nodes.push({ id, type: 'play', data: { prompts: [`P${i}`] } });
    wire(prev, prevHandle, id);
    if (kind === 0 && i >= 10) wire(id, '2', `n${i - 10}`);
    prev = id;
    prevHandle = exits[kind];
  }
  return FlowDocument.parse({ format: FLOW_FORMAT, name: 'big', nodes, edges });
}

// Compile time is measured by `npm run bench` (a table), not asserted here: timings flake under load.
describe('large flows', () => {
  it('a 5,000-node flow compiles to CG/PL and JS', () => {
    const big = bigFlow(5000);
    expect(compileToCgpl(big).text).toContain('PlayFile("P4999");');
    expect(compileToJs(big).text).toContain('P4999');
  });
});

describe('names the validator refuses still compile to a program the checker accepts', () => {
  it('variables named like built-ins and keywords (number, Date, LENGTH, end) are renamed', () => {
    const names = ['number', 'Date', 'LENGTH', 'end', 'Record'];
    const flow = flowOf(
      [
        { id: 'p', type: 'play', data: { prompts: ['Hello'], interruptible: false } },
        ...names.map((variable, i) => ({ id: `s${i}`, type: 'setVariable', data: { variable, value: `v${i}` } })),
        { id: 'm', type: 'sendEmail', data: { subject: names.map((n) => `{{${n}}}`).join(' ') } },
      ],
      [
        ['start', 'next', 'p'],
        ['p', 'next', 's0'],
        ...names.slice(1).map((_, i): [string, string, string] => [`s${i}`, 'next', `s${i + 1}`]),
        [`s${names.length - 1}`, 'next', 'm'],
      ],
    );
    const { text } = compileToCgpl(flow);
    const parsed = parseCgpl(text, 'flow.sppr');
    expect(parsed.diagnostics).toEqual([]);
    expect(checkCgpl(parsed.program!, { file: 'flow.sppr' }).diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    expect(text).toContain('Void(SetInterruptOnDTMF(false));');
    expect(text).toMatch(/\bnumber_ = "v0";/);
  });

  it('random nasty flows (keywords, built-in names, Unicode everywhere) compile to programs the checker accepts', () => {
    fc.assert(
      fc.property(arbitraryNastyFlow(8), (flow) => {
        const parsed = parseCgpl(compileToCgpl(flow).text, 'flow.sppr');
        expect(parsed.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
        expect(checkCgpl(parsed.program!, { file: 'flow.sppr' }).diagnostics.map((d) => formatDiagnostic(d))).toEqual(
          [],
        );
      }),
      { numRuns: 200 },
    );
  });
});
