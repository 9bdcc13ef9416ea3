// importCgpl: a CommuniGate PBX program (.sppr) → a flow document. The structured parts of entry Main
// become nodes (answer, PlayFile runs, ReadInput menus and digit loops, SendEMail, business hours,
// transfers, conditions, hang-ups); everything else is kept, as written, in CG/PL code nodes, so every
// program the checker accepts imports. A program IVR Studio generated comes back as its flow's nodes.
// docs/import.md describes the shapes recognised.
import type { Decl, EntryDecl, IfStmt, Stmt } from '../cgpl/ast';
import { checkCgpl } from '../cgpl/check';
import { parseCgpl } from '../cgpl/parser';
import { printCgpl } from '../cgpl/printer';
import type { Diagnostic } from '../diagnostics';
import { FLOW_FORMAT } from '../flow/model';
import { FlowDocument, type Prompt } from '../flow/schema';
import { assignedVariables } from '../flow/graph';
import { connectEntry } from '../generate/connectEntry';
import { FlowBuilder } from './builder';
import { binOf, nameOf, numOf, strOf } from './match';
import { makeWalk } from './statements';

export { layoutFlow } from './layout';

export interface ImportOptions {
  /** The program's file name: messages name it; the flow's name is its base name by default. */
  file?: string;
  /** The flow's (application's) name; default: the file's base name, else "imported". */
  name?: string;
  /** The root language of the environment (where `name.wav` prompts live). Default english. */
  language?: string;
}

export interface ImportResult {
  /** null when the program has errors (then `problems` says where). */
  flow: FlowDocument | null;
  problems: Diagnostic[];
  /** How many nodes of each type the import made (code nodes are the parts not recognised). */
  counts: Record<string, number>;
}

const baseName = (file: string) => file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '');

/**
 * @example const { flow, problems } = importCgpl(readFileSync('callback.sppr', 'utf8'), { file: 'callback.sppr' });
 */
export function importCgpl(text: string, options: ImportOptions = {}): ImportResult {
  const file = options.file;
  const fail = (problems: Diagnostic[]): ImportResult => ({ flow: null, problems, counts: {} });
  const parsed = parseCgpl(text, file);
  const parseErrors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.program || parseErrors.length > 0) return fail(parseErrors);
  const checked = checkCgpl(parsed.program, { ...(file !== undefined ? { file } : {}), modules: 'unresolved' });
  if (checked.diagnostics.length > 0) return fail(checked.diagnostics);
  const decls = parsed.program.decls;
  const main = decls.find((d): d is EntryDecl => d.kind === 'Entry' && d.name.toLowerCase() === 'main');
  if (!main) {
    return fail([
      {
        severity: 'error',
        code: 'CGPL116',
        message: 'no entry Main: nothing to import',
        line: 1,
        column: 1,
        ...(file !== undefined ? { file } : {}),
      },
    ]);
  }
  const connect = printCgpl({ kind: 'Program', decls: [connectEntry()] }).text;
  const isConnect = (d: Decl) => printCgpl({ kind: 'Program', decls: [d] }).text === connect;
  const b = new FlowBuilder();
  b.shareHangup = /if AcceptCall\(\) != null then stop; end if;\s*\n\s*[A-Za-z]\w* = true;/.test(text);
  const walk = makeWalk(b);
  const body = dispatchOf(main.body, b);
  // with the flag, the call falling off the program's end also meets that hang-up (the compiler leaves
  // out a `stop;` there)
  const end = b.shareHangup ? b.hangup() : null;
  b.end = end;
  const first = walk.list(body.main, end);
  for (const [label, caseBody] of body.cases) {
    const id = b.labels.get(label)!;
    let entry = walk.list(caseBody, null);
    // a case whose node wrote no code of its own, or one the compiler would copy rather than jump to
    // (a hang-up; a transfer that cannot fail): an empty code node keeps the join
    const type = b.nodes.find((n) => n.id === entry)?.type;
    const copied =
      type === 'hangup' ||
      (type === 'transfer' && !b.edges.some((e) => e.source === entry && e.sourceHandle === 'failed'));
    if (entry === null || b.isLabel(entry) || copied) entry = b.code([], entry, false);
    b.rename(entry, id);
  }
  if (end !== null && !b.edges.some((e) => e.target === end) && first !== end) b.drop(end);
  let start = 'start';
  for (let k = 2; b.nodes.some((n) => n.id === start); k++) start = `start${k}`;
  const flowNodes = [{ id: start, type: 'start' as const, position: { x: 0, y: 0 }, data: {} }, ...b.nodes];
  b.edge(start, 'next', first);
  // procedures, functions, other entries, task variables and constants stay CG/PL: the flow's
  // declarations — but not the Connect helper the compiler writes again for a connect transfer
  const connects = b.nodes.some((n) => n.type === 'transfer' && n.data.mode === 'connect');
  const others = decls.filter((d) => d !== main && !(connects && isConnect(d)));
  const declarations = others.length > 0 ? printCgpl({ kind: 'Program', decls: others }).text.trimEnd() : '';
  const language = options.language ?? 'english';
  const prompts: Record<string, Prompt> = {};
  for (const p of [...b.prompts].sort()) prompts[p] = { files: { [language]: `${p}.wav` }, text: {} };
  const flow: FlowDocument = {
    format: FLOW_FORMAT,
    name: options.name ?? (file !== undefined ? baseName(file) : 'imported'),
    description: `Imported from ${file !== undefined ? file.replace(/^.*[\\/]/, '') : 'a CG/PL program'} by ivr-studio import.`,
    languages: [language],
    defaultLanguage: language,
    prompts,
    variables: [],
    nodes: flowNodes,
    edges: b.edges,
    notes: [],
    environment: {} as FlowDocument['environment'],
    ...(declarations !== '' ? { declarations } : {}),
  };
  const set = new Set(assignedVariables(flow).map((v) => v.toLowerCase()));
  flow.variables = [...b.reads].filter((v) => !set.has(v.toLowerCase())).map((name) => ({ name }));
  const parsedFlow = FlowDocument.parse(flow);
  const counts: Record<string, number> = {};
  for (const n of parsedFlow.nodes) counts[n.type] = (counts[n.type] ?? 0) + 1;
  return { flow: parsedFlow, problems: [], counts };
}

/**
 * The generated program's dispatch loop at the end of Main: `loop if next == "menu1" then … elif …
 * end if; end loop;`, or with many joins a tree of `next < 24` tests over numbered cases. Its cases,
 * and the code before it.
 */
function dispatchOf(body: Stmt[], b: FlowBuilder): { main: Stmt[]; cases: [string, Stmt[]][] } {
  const last = body.at(-1);
  const none = { main: body, cases: [] };
  if (last?.kind !== 'Loop' || last.body.length !== 1 || last.body[0].kind !== 'If') return none;
  let variable: string | null = null;
  let numbered: boolean | null = null;
  const cases: [string, Stmt[]][] = [];
  const same = (v: string | null, isNumber: boolean) => {
    if (v === null || (variable !== null && v.toLowerCase() !== variable.toLowerCase())) return false;
    if (numbered !== null && numbered !== isNumber) return false;
    variable = v;
    numbered = isNumber;
    return true;
  };
  const read = (s: IfStmt): boolean => {
    const split = s.branches.length === 1 && s.elseBody ? binOf(s.branches[0].cond, '<') : null;
    if (split) {
      const [low, high] = [s.branches[0].body, s.elseBody!];
      if (!same(nameOf(split.left), true) || numOf(split.right) === null) return false;
      return (
        low.length === 1 &&
        low[0].kind === 'If' &&
        read(low[0]) &&
        high.length === 1 &&
        high[0].kind === 'If' &&
        read(high[0])
      );
    }
    if (s.elseBody !== null) return false;
    for (const br of s.branches) {
      const test = binOf(br.cond, '==');
      const n = test ? numOf(test.right) : null;
      const label = test ? (strOf(test.right) ?? (n !== null ? String(n) : null)) : null;
      if (!test || label === null || !same(nameOf(test.left), n !== null)) return false;
      if (cases.some(([l]) => l === label)) return false;
      cases.push([label, br.body]);
    }
    return true;
  };
  if (!read(last.body[0])) return none;
  b.dispatch = variable;
  for (const [label] of cases) b.labels.set(label, numbered ? `join${label}` : label);
  return { main: body.slice(0, -1), cases };
}
