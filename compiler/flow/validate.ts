// Semantic checks on a loaded flow: the graph, prompts, each node's data, variables, languages and
// the PBX environment. Errors stop compilation; warnings are things that work but likely surprise.
import { BUILTIN_VARIABLES, UNCONNECTED_BEHAVIOUR, outputHandles } from './model';
import type { FlowDocument, FlowNode, NodeOf } from './schema';
import { CGPL_KEYWORDS, IDENTIFIER, parseTemplate, templateVariables } from './templates';
import { assignedVariables, nodeById, reachableFrom } from './graph';
import type { Problem } from './problems';
import { patternProblems } from './patterns';
import { busyLoopProblems } from './cycles';
import { HOSTNAME, pbxProblems, timeRangeProblems } from './pbx';
import { answerStates } from './answer';
import type { DiagnosticCode } from '../diagnostics';
import { availableIn, findBuiltinSpec, suggestName } from '../cgpl/builtins';
import { declarationProblems, diskModules, EXIT_VARIABLE, moduleCallProblems, parseCodeBlock } from './code';
import type { ModuleLoader } from '../cgpl/check';

export interface ValidateOptions {
  /** The flow file's folder: when given, prompt files are checked to exist on disk. */
  baseDir?: string;
  /** Overrides the disk check (tests, the designer); gets the path as written in the flow. */
  fileExists?: (file: string) => boolean;
  /** Reads the environment's `.sppi` modules for module call nodes (default: from baseDir). */
  modules?: ModuleLoader;
}

const KEY = /^[0-9*#]$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Stands for a {{placeholder}} while checking the literal text around it. */
const HOLE = '\u0000';

type Severity = Problem['severity'];

/**
 * Checks a flow that loadFlow accepted. Never throws.
 * @example
 *   const problems = validateFlow(flow, { baseDir: dirname(file) });
 *   if (hasErrors(problems)) for (const p of problems) console.error(formatProblem(p, file));
 */
export function validateFlow(flow: FlowDocument, options: ValidateOptions = {}): Problem[] {
  const out: Problem[] = [];
  try {
    checkGraph(flow, out);
    out.push(...busyLoopProblems(flow));
    checkPrompts(flow, options, out);
    // Flow variables are CG/PL names: case-insensitive. Built-ins ({{account}} …) are spelled exactly.
    const variables = new Set(
      [...flow.variables.map((v) => v.name), ...assignedVariables(flow)].map((v) => v.toLowerCase()),
    );
    const defined = {
      has: (name: string) => Object.hasOwn(BUILTIN_VARIABLES, name) || variables.has(name.toLowerCase()),
    };
    const recordings = new Set(flow.nodes.flatMap((n) => (n.type === 'recordVoicemail' ? [n.data.variable] : [])));
    const modules = options.modules ?? diskModules(options.baseDir);
    const declarations = flow.declarations ?? '';
    for (const node of flow.nodes) checkNode(node, { defined, variables, recordings, out, modules, declarations });
    for (const p of declarationProblems(declarations)) {
      if (p.severity === 'error')
        out.push({
          severity: 'error',
          code: p.code,
          message: `${p.line}:${p.column}: ${p.message}`,
          field: 'declarations',
        });
    }
    checkRedirects(flow, out);
    checkDocument(flow, out, variables);
  } catch (e) {
    out.push({ severity: 'error', code: 'FLOW399', message: `internal error while validating: ${String(e)}` });
  }
  return out;
}

/** RedirectCall works only before the answer: a Redirect the call can reach answered would do nothing. */
function checkRedirects(flow: FlowDocument, out: Problem[]): void {
  const states = answerStates(flow);
  for (const node of flow.nodes) {
    if (node.type !== 'transfer' || node.data.mode !== 'redirect') continue;
    const by = states.get(node.id)?.answeredBy;
    if (!by) continue;
    out.push(
      nodeProblem(
        node,
        'error',
        'mode',
        `Redirect can run after the call was answered (by node ${by}): RedirectCall works only before the answer, so the server would not transfer the call; use Connect or Blind transfer`,
        'FLOW330',
      ),
    );
  }
}

function nodeProblem(
  node: FlowNode,
  severity: Severity,
  field: string,
  message: string,
  code: DiagnosticCode = 'FLOW310',
): Problem {
  return { severity, code, message, nodeId: node.id, nodeType: node.type, field };
}

function checkGraph(flow: FlowDocument, out: Problem[]): void {
  const nodes = nodeById(flow);
  const seenIds = new Set<string>();
  for (const node of flow.nodes) {
    if (seenIds.has(node.id)) out.push(nodeProblem(node, 'error', 'id', `duplicate node id '${node.id}'`));
    seenIds.add(node.id);
  }
  const starts = flow.nodes.filter((n) => n.type === 'start');
  if (starts.length === 0)
    out.push({ severity: 'error', code: 'FLOW310', message: 'the flow has no start node', field: 'nodes' });
  for (const extra of starts.slice(1)) {
    out.push(
      nodeProblem(
        extra,
        'error',
        'type',
        `several start nodes (${starts.map((s) => s.id).join(', ')}); a flow has exactly one`,
      ),
    );
  }

  const edgeIds = new Set<string>();
  const used = new Map<string, string>(); // "source\u0000handle" → first edge id
  for (const edge of flow.edges) {
    const at = (field: string, message: string, node?: FlowNode): Problem => ({
      severity: 'error',
      code: 'FLOW310',
      message,
      edgeId: edge.id,
      field,
      ...(node ? { nodeId: node.id, nodeType: node.type } : {}),
    });
    if (edgeIds.has(edge.id)) out.push(at('id', `duplicate edge id '${edge.id}'`));
    edgeIds.add(edge.id);
    const source = nodes.get(edge.source);
    const target = nodes.get(edge.target);
    if (!source) out.push(at('source', `edge from unknown node '${edge.source}'`));
    if (!target) out.push(at('target', `edge to unknown node '${edge.target}'`));
    else if (target.type === 'start')
      out.push(at('target', 'edge into the start node (calls enter a flow only at its start)', target));
    if (!source) continue;
    const handles = outputHandles(source);
    if (!handles.includes(edge.sourceHandle)) {
      const offered = handles.length ? handles.join(', ') : 'none';
      out.push(at('sourceHandle', `no output named '${edge.sourceHandle}' (its outputs: ${offered})`, source));
      continue;
    }
    const key = `${edge.source}${HOLE}${edge.sourceHandle}`;
    const first = used.get(key);
    if (first !== undefined)
      out.push(
        at(
          'sourceHandle',
          `output '${edge.sourceHandle}' is already connected by edge ${first}; an output leads to one node`,
          source,
        ),
      );
    else used.set(key, edge.id);
  }

  const start = starts[0];
  const reachable = start ? reachableFrom(flow, start.id) : undefined;
  for (const node of flow.nodes) {
    if (reachable && !reachable.has(node.id)) {
      out.push(nodeProblem(node, 'warning', 'id', 'unreachable from the start node', 'FLOW311'));
      continue;
    }
    // A transfer that fails and is left open simply ends the call, which is the usual intent.
    if (node.type === 'transfer') continue;
    for (const handle of outputHandles(node)) {
      if (!used.has(`${node.id}${HOLE}${handle}`)) {
        out.push(
          nodeProblem(
            node,
            'warning',
            `outputs.${handle}`,
            `output '${handle}' is not connected: ${UNCONNECTED_BEHAVIOUR}`,
            'FLOW312',
          ),
        );
      }
    }
  }
}

/** The prompt lists of a node, by field name. */
function promptFields(node: FlowNode): [string, string[]][] {
  switch (node.type) {
    case 'play':
      return [['prompts', node.data.prompts]];
    case 'menu':
      return [
        ['prompts', node.data.prompts],
        ['invalidPrompts', node.data.invalidPrompts],
        ['noInputPrompts', node.data.noInputPrompts],
      ];
    case 'collectDigits':
      return [
        ['prompts', node.data.prompts],
        ['clearPrompts', node.data.clearPrompts],
      ];
    case 'recordVoicemail':
      return [['prompts', node.data.prompts]];
    default:
      return [];
  }
}

function checkPrompts(flow: FlowDocument, options: ValidateOptions, out: Problem[]): void {
  for (const node of flow.nodes) {
    for (const [field, names] of promptFields(node)) {
      for (const name of names) {
        if (!Object.hasOwn(flow.prompts, name))
          out.push(nodeProblem(node, 'error', field, `prompt '${name}' is not in the prompt library`, 'FLOW320'));
      }
    }
  }
  const exists = fileChecker(options);
  for (const [name, prompt] of Object.entries(flow.prompts)) {
    for (const language of flow.languages) {
      const file = Object.hasOwn(prompt.files, language) ? prompt.files[language] : undefined;
      if (!file) {
        out.push({
          severity: 'warning',
          code: 'FLOW320',
          message: `prompt ${name} has no ${language} recording`,
          field: `prompts.${name}.files.${language}`,
        });
      } else if (exists && !exists(file)) {
        out.push({
          severity: 'error',
          code: 'FLOW320',
          message: `prompt ${name}: ${language} file '${file}' does not exist`,
          field: `prompts.${name}.files.${language}`,
        });
      }
    }
  }
}

function fileChecker(options: ValidateOptions): ((file: string) => boolean) | undefined {
  if (options.fileExists) return options.fileExists;
  const baseDir = options.baseDir;
  // Loaded lazily so the designer can import this module in a browser, where there is no disk.
  if (baseDir === undefined || typeof process === 'undefined' || !process.getBuiltinModule) return undefined;
  const fs = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  return (file) => fs.existsSync(path.resolve(baseDir, file));
}

interface NodeContext {
  defined: { has(name: string): boolean };
  /** Every flow variable, lower-cased: a suggested new name must not be one of them. */
  variables: ReadonlySet<string>;
  recordings: Set<string>;
  out: Problem[];
  modules: ModuleLoader | undefined;
  /** The flow's CG/PL declarations (code nodes may call what they define). */
  declarations: string;
}

function checkNode(node: FlowNode, ctx: NodeContext): void {
  const error = (field: string, message: string, code: DiagnosticCode = 'FLOW330') =>
    ctx.out.push(nodeProblem(node, 'error', field, message, code));
  const whole = (field: string, value: number, min: number, max: number, unit = '') => {
    if (!Number.isInteger(value) || value < min || value > max)
      error(field, `must be a whole number from ${min} to ${max}${unit} (found ${value})`);
  };
  const template = (field: string, text: string) => {
    for (const name of templateVariables(text)) {
      if (name === '') error(field, 'empty placeholder {{}} (write {{{{ for a literal {{)', 'FLOW340');
      else if (!ctx.defined.has(name))
        error(
          field,
          `undefined variable {{${name}}}: declare it in the flow's variables or set it in a node`,
          'FLOW340',
        );
    }
  };
  const variableName = (field: string, name: string) => {
    const problem = identifierProblem(name, ctx.variables);
    if (problem) error(field, problem.message, problem.code);
  };
  switch (node.type) {
    case 'start':
    case 'play':
    case 'hangup':
      return;
    case 'menu':
      return checkMenu(node, error, whole);
    case 'collectDigits': {
      const { endKey, clearKey } = node.data;
      if (!KEY.test(endKey)) error('endKey', `must be one key of 0-9, * or # (found '${endKey}')`);
      if (clearKey !== '' && !KEY.test(clearKey))
        error('clearKey', `must be one key of 0-9, * or #, or empty for none (found '${clearKey}')`);
      else if (clearKey !== '' && clearKey === endKey)
        error('clearKey', `the clear key and the end key are both '${clearKey}'`);
      whole('maxDigits', node.data.maxDigits, 0, 64, ' (0 = no limit)');
      whole('firstDigitTimeout', node.data.firstDigitTimeout, 1, 600, ' seconds');
      whole('interDigitTimeout', node.data.interDigitTimeout, 1, 600, ' seconds');
      return variableName('variable', node.data.variable);
    }
    case 'sendEmail': {
      const d = node.data;
      for (const field of ['from', 'to', 'subject'] as const) {
        if (/[\r\n]/.test(d[field])) error(field, 'must not contain line breaks (they would add mail headers)');
      }
      const fromProblem = d.from.trim() === '' ? 'must not be empty' : addressProblem(d.from);
      if (fromProblem) error('from', fromProblem);
      // '' sends to the account the program runs for (MyEmail()); several recipients are comma-separated.
      for (const to of d.to.trim() === '' ? [] : d.to.split(',')) {
        const problem = addressProblem(to);
        if (problem) error('to', problem);
      }
      for (const field of ['from', 'to', 'subject', 'body'] as const) template(field, d[field]);
      if (d.attachRecording !== '' && !ctx.recordings.has(d.attachRecording)) {
        error('attachRecording', `'${d.attachRecording}' is not the variable of any recordVoicemail node`);
      }
      return;
    }
    case 'businessHours':
      if (node.data.schedule.length === 0) error('schedule', 'needs at least one range of opening hours');
      node.data.schedule.forEach((range, i) => {
        for (const [field, message] of timeRangeProblems(range)) error(`schedule[${i}].${field}`, message);
      });
      node.data.holidays.forEach((day, i) => {
        if (!isDate(day)) error(`holidays[${i}]`, `'${day}' is not a date written YYYY-MM-DD`);
      });
      return;
    case 'transfer':
      if (node.data.target.trim() === '') error('target', 'the transfer target is empty');
      if (node.data.mode === 'connect' && !(node.data.ringSeconds >= 1))
        error('ringSeconds', 'ring for at least 1 second');
      return template('target', node.data.target);
    case 'condition': {
      const { variable, operator, value } = node.data;
      if (variable === '') error('variable', 'choose the variable to test');
      else if (!ctx.defined.has(variable)) error('variable', `undefined variable '${variable}'`, 'FLOW340');
      if (operator === 'matches') {
        for (const p of patternProblems(value)) {
          const code = p.severity === 'error' ? 'FLOW360' : 'FLOW361';
          ctx.out.push(nodeProblem(node, p.severity, 'value', p.message, code));
        }
      } else if (operator === 'equals') {
        template('value', value);
      }
      return;
    }
    case 'setVariable':
      variableName('variable', node.data.variable);
      return template('value', node.data.value);
    case 'recordVoicemail':
      whole('maxSeconds', node.data.maxSeconds, 1, 3600, ' seconds');
      return variableName('variable', node.data.variable);
    case 'code':
      return checkCode(node, error, ctx.declarations);
    case 'moduleCall': {
      const d = node.data;
      if (!IDENTIFIER.test(d.module)) error('module', `'${d.module}' is not a module name (the .sppi file's name)`);
      if (!IDENTIFIER.test(d.routine)) error('routine', `'${d.routine}' is not a procedure or function name`);
      d.args.forEach((a, i) => {
        template(`args[${i}]`, a);
      });
      if (d.result !== '') variableName('result', d.result);
      if (d.result !== '' && d.kind === 'procedure') error('result', 'a procedure has no value to keep');
      if (ctx.modules && IDENTIFIER.test(d.module) && IDENTIFIER.test(d.routine)) {
        for (const p of moduleCallProblems(node, ctx.modules)) error('module', p.message, p.code);
      }
      return;
    }
    default: {
      // Only reachable when a caller skipped loadFlow; report it instead of crashing.
      const unknown: never = node;
      error('type', `unknown node type '${String((unknown as { type?: unknown }).type)}'`);
    }
  }
}

/** A code node: its text checked by the front end (line:col inside the node), its exits CG/PL-safe strings. */
function checkCode(
  node: NodeOf<'code'>,
  error: (field: string, message: string, code?: DiagnosticCode) => void,
  declarations: string,
) {
  for (const p of parseCodeBlock(node.data.code, 'unresolved', declarations).problems) {
    if (p.severity === 'error') error('code', `${p.line}:${p.column}: ${p.message}`, p.code);
  }
  node.data.exits.forEach((exit, i) => {
    if (!/^[A-Za-z0-9_]+$/.test(exit))
      error(`exits[${i}]`, `exit '${exit}' must be letters, digits or _ (the code sets ${EXIT_VARIABLE} = "${exit}")`);
  });
  if (new Set(node.data.exits).size !== node.data.exits.length) error('exits', 'an exit is named twice');
}

function checkMenu(
  node: NodeOf<'menu'>,
  error: (field: string, message: string) => void,
  whole: (field: string, value: number, min: number, max: number, unit?: string) => void,
): void {
  const { options } = node.data;
  if (options.length === 0) error('options', 'a menu needs at least one option');
  const seen = new Set<string>();
  options.forEach((option, i) => {
    if (!KEY.test(option.digit))
      error(`options[${i}].digit`, `must be one key of 0-9, * or # (found '${option.digit}')`);
    else if (seen.has(option.digit)) error(`options[${i}].digit`, `digit '${option.digit}' is used by another option`);
    seen.add(option.digit);
  });
  whole('timeout', node.data.timeout, 1, 600, ' seconds');
  whole('retries', node.data.retries, 1, 10);
}

function checkDocument(flow: FlowDocument, out: Problem[], taken: ReadonlySet<string>): void {
  const error = (field: string, message: string, code: DiagnosticCode = 'FLOW350') =>
    out.push({ severity: 'error', code, message, field });

  const names = new Set<string>();
  flow.variables.forEach((variable, i) => {
    const problem = identifierProblem(variable.name, taken);
    if (problem) error(`variables[${i}].name`, problem.message, problem.code);
    // CG/PL names are case-insensitive, so "Digits" and "digits" are one variable there.
    const key = variable.name.toLowerCase();
    if (names.has(key)) error(`variables[${i}].name`, `variable '${variable.name}' is declared twice`, 'FLOW340');
    names.add(key);
  });

  if (flow.languages.length === 0) error('languages', 'the flow needs at least one language');
  flow.languages.forEach((language, i) => {
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(language))
      error(`languages[${i}]`, `'${language}' is not a language folder name`);
    if (flow.languages.indexOf(language) !== i) error(`languages[${i}]`, `language '${language}' is listed twice`);
  });
  if (flow.languages.length > 0 && !flow.languages.includes(flow.defaultLanguage)) {
    error(
      'defaultLanguage',
      `'${flow.defaultLanguage}' is not one of the flow's languages (${flow.languages.join(', ')})`,
    );
  }

  out.push(...pbxProblems(flow.environment, { at: 'environment.', languages: flow.languages }));
}

/** Why a name cannot be a CG/PL variable, or null when it can. */
function identifierProblem(name: string, taken: ReadonlySet<string>): { code: DiagnosticCode; message: string } | null {
  const problem = (message: string) => ({ code: 'FLOW340' as const, message });
  if (name === '') return problem('the variable name is empty');
  if (!IDENTIFIER.test(name))
    return problem(`'${name}' is not a valid variable name (a letter, then letters, digits or _)`);
  const instead = () => suggestName(name, (n) => taken.has(n.toLowerCase()));
  if (CGPL_KEYWORDS.has(name.toLowerCase()))
    return problem(`'${name}' is a CG/PL keyword: rename it, e.g. '${instead()}'`);
  const spec = findBuiltinSpec(name);
  // In CG/PL a name that matches a built-in is that built-in, never a variable: the server refuses it.
  if (spec && availableIn(spec, 'pbx')) {
    return {
      code: 'FLOW341',
      message: `variable '${name}' has the name of the CG/PL built-in ${spec.kind} ${spec.name}: rename it, e.g. '${instead()}'`,
    };
  }
  return null;
}

function isDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Why a from/to template cannot be an e-mail address, or null. Placeholders may stand for any part
 * (a whole address like {{account}} or just the domain), so only the literal text around them is checked.
 */
export function addressProblem(template: string): string | null {
  let text = parseTemplate(template)
    .map((p) => (p.kind === 'text' ? p.text : HOLE))
    .join('')
    .trim();
  const named = /^[^<>]*<([^<>]*)>$/.exec(text);
  if (named) text = (named[1] as string).trim();
  const shown = `'${template.trim()}'`;
  if (text === '') return `${shown} is not an e-mail address`;
  const parts = text.split('@');
  if (parts.length > 2) return `${shown} has more than one @`;
  const [local, domain] = parts as [string, string | undefined];
  if (domain === undefined) {
    if (!text.includes(HOLE)) return `${shown} is not an e-mail address (name@domain)`;
    // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0000 stands for a variable's hole
    return /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u0000]+$/.test(text)
      ? null
      : `${shown} contains characters not allowed in an address`;
  }
  if (local === '') return `${shown} has no name before the @`;
  if (domain === '') return `${shown} has no domain after the @`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0000 stands for a variable's hole
  if (!/^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.\-\u0000]+$/.test(local))
    return `${shown}: the name before the @ contains characters not allowed in an address`;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: \u0000 stands for a variable's hole
  if (!domain.includes(HOLE) ? !HOSTNAME.test(domain) : !/^[A-Za-z0-9.\-\u0000]+$/.test(domain))
    return `${shown}: '${domain.replaceAll(HOLE, '…')}' is not a domain name`;
  return null;
}
