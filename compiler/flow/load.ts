// Reading a flow document: JSON text → FlowDocument, or problems that say where the text is wrong
// (file:line:col for JSON syntax, the JSON path and node id for shape errors). Never throws.
import { FLOW_FORMAT, FlowDocument } from './schema';
import type { Problem } from './problems';
import type { DiagnosticCode } from '../diagnostics';

export interface LoadResult {
  flow: FlowDocument | null;
  problems: Problem[];
}

/**
 * Parses the text of a flow file.
 * @example
 *   const { flow, problems } = loadFlow(readFileSync('callback.json', 'utf8'), 'callback.json');
 */
export function loadFlow(text: string, file?: string): LoadResult {
  const result = guarded(() => loadText(text));
  if (file !== undefined) for (const p of result.problems) p.file = file;
  return result;
}

/** Checks and fills in defaults for a value that is already parsed JSON (e.g. from the designer). */
export function parseFlowObject(value: unknown): LoadResult {
  return guarded(() => parseObject(value));
}

function guarded(load: () => LoadResult): LoadResult {
  try {
    return load();
  } catch (e) {
    // Only a bug in this file can get here; report it rather than crash the caller.
    return {
      flow: null,
      problems: [{ severity: 'error', code: 'FLOW399', message: `internal error while loading: ${String(e)}` }],
    };
  }
}

function loadText(text: string): LoadResult {
  if (typeof text !== 'string') return fail(`expected the text of a flow file, found ${describe(text)}`);
  // Editors on Windows like to save a byte-order mark; JSON.parse rejects it.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (e) {
    const found = findSyntaxError(source);
    if (!found) return fail(`invalid JSON: ${e instanceof Error ? e.message : String(e)}`, undefined, 'FLOW301');
    const { line, column } = lineColumn(source, found.offset);
    return {
      flow: null,
      problems: [{ severity: 'error', code: 'FLOW301', message: `invalid JSON: ${found.message}`, line, column }],
    };
  }
  return parseObject(value);
}

function parseObject(value: unknown): LoadResult {
  if (!isRecord(value)) return fail(`a flow document must be a JSON object, found ${describe(value)}`);
  if (!('format' in value) || value.format === undefined) {
    return fail(`missing "format": expected '${FLOW_FORMAT}'`, 'format');
  }
  if (value.format !== FLOW_FORMAT) {
    return fail(`unsupported format ${quote(value.format)}: expected '${FLOW_FORMAT}'`, 'format');
  }
  const parsed = FlowDocument.safeParse(value);
  if (parsed.success) return { flow: parsed.data, problems: [] };
  return { flow: null, problems: parsed.error.issues.map((issue) => issueProblem(issue, value)) };
}

function fail(message: string, path?: string, code: DiagnosticCode = 'FLOW302'): LoadResult {
  const problem: Problem = { severity: 'error', code, message };
  if (path !== undefined) problem.path = path;
  return { flow: null, problems: [problem] };
}

/** The parts of a zod issue this file reads (zod 4's issue union, loosely). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  origin?: string;
  minimum?: number | bigint;
  values?: unknown[];
  options?: unknown[];
  discriminator?: string;
}

function issueProblem(issue: Issue, root: Record<string, unknown>): Problem {
  const path = issue.path;
  const problem: Problem = {
    severity: 'error',
    code: 'FLOW302',
    message: issueMessage(issue, valueAt(root, path)),
    path: formatPath(path),
  };
  const [list, index, ...rest] = path;
  if ((list === 'nodes' || list === 'edges') && typeof index === 'number') {
    const item = valueAt(root, [list, index]);
    const id = isRecord(item) && typeof item.id === 'string' && item.id !== '' ? item.id : undefined;
    if (list === 'nodes') {
      if (id !== undefined) problem.nodeId = id;
      if (isRecord(item) && typeof item.type === 'string') problem.nodeType = item.type;
      const inData = rest[0] === 'data' ? rest.slice(1) : rest;
      if (inData.length > 0) problem.field = formatPath(inData);
    } else {
      if (id !== undefined) problem.edgeId = id;
      if (rest.length > 0) problem.field = formatPath(rest);
    }
  }
  return problem;
}

function issueMessage(issue: Issue, actual: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      if (actual === undefined) return `missing (expected ${issue.expected})`;
      return `expected ${issue.expected}, found ${describe(actual)}`;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') return `needs at least ${issue.minimum} item(s)`;
      return `must be ${issue.minimum} or more`;
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}, found ${describe(actual)}`;
    case 'invalid_union':
      if (issue.discriminator === 'type') {
        const known = (issue.options ?? []).map(String).join(', ');
        if (actual === undefined) return `missing node type (expected one of ${known})`;
        return `unknown node type ${quote(actual)} (expected one of ${known})`;
      }
      return issue.message;
    default:
      return issue.message;
  }
}

/** "nodes[3].data.timeout"; keys that are not plain names are quoted: prompts["Thank you"]. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (Array.isArray(value) && typeof key === 'number') value = value[key];
    else if (isRecord(value) && typeof key === 'string' && Object.hasOwn(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A string as it appears in JSON; anything else described. */
function quote(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)
    : describe(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `string ${JSON.stringify(shown)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** 1-based line and column (in UTF-16 units, as editors count them) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'after';

/**
 * Finds the first JSON syntax error and says what was expected there. JSON.parse's messages do not
 * always carry a position, so this scans the text itself; a stack (not recursion) keeps deeply
 * nested input from overflowing.
 */
export function findSyntaxError(text: string): { offset: number; message: string } | null {
  const stack: string[] = [];
  let expect: Expect = 'value';
  let lastComma = -1;
  let justComma = false;
  let i = 0;
  const n = text.length;
  const err = (message: string, at = i) => ({ offset: at, message });
  const found = () => (i >= n ? 'the end of the text' : `'${text[i]}'`);
  while (true) {
    while (i < n && ' \t\n\r'.includes(text[i] as string)) i++;
    const ch = text[i];
    const afterComma = justComma;
    justComma = false;
    if (expect === 'value' || expect === 'valueOrClose') {
      if (ch === ']' && afterComma) return err("trailing comma before ']'", lastComma);
      if (ch === ']' && expect === 'valueOrClose') {
        stack.pop();
        i++;
        expect = 'after';
        continue;
      }
      if (ch === '{') {
        stack.push('}');
        i++;
        expect = 'keyOrClose';
        continue;
      }
      if (ch === '[') {
        stack.push(']');
        i++;
        expect = 'valueOrClose';
        continue;
      }
      if (ch === '"') {
        const bad = scanString(text, i);
        if (typeof bad !== 'number') return bad;
        i = bad;
        expect = 'after';
        continue;
      }
      if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) {
        const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
        if (!m || m[0] === '-') return err('malformed number');
        i += m[0].length;
        if (i < n && /[\d.eE]/.test(text[i] as string)) return err('malformed number');
        expect = 'after';
        continue;
      }
      const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
      if (word) {
        i += word.length;
        expect = 'after';
        continue;
      }
      if (ch === "'") return err('strings must use double quotes');
      return err(`expected a value, found ${found()}`);
    }
    if (expect === 'key' || expect === 'keyOrClose') {
      if (ch === '}' && afterComma) return err("trailing comma before '}'", lastComma);
      if (ch === '}') {
        stack.pop();
        i++;
        expect = 'after';
        continue;
      }
      if (ch !== '"') return err(`expected a double-quoted property name, found ${found()}`);
      const end = scanString(text, i);
      if (typeof end !== 'number') return end;
      i = end;
      while (i < n && ' \t\n\r'.includes(text[i] as string)) i++;
      if (text[i] !== ':') return err(`expected ':' after the property name, found ${found()}`);
      i++;
      expect = 'value';
      continue;
    }
    // expect === 'after': a value has just ended
    const close = stack[stack.length - 1];
    if (close === undefined) return i < n ? err(`unexpected ${found()} after the end of the JSON value`) : null;
    if (ch === ',') {
      lastComma = i;
      justComma = true;
      i++;
      expect = close === '}' ? 'key' : 'value';
      continue;
    }
    if (ch === close) {
      stack.pop();
      i++;
      continue;
    }
    return err(`expected ',' or '${close}', found ${found()}`);
  }
}

/** Returns the offset after the closing quote, or the error. */
function scanString(text: string, start: number): number | { offset: number; message: string } {
  let i = start + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const e = text[i + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
          return { offset: i, message: 'bad \\u escape (four hex digits expected)' };
        i += 6;
        continue;
      }
      if (e === undefined || !'"\\/bfnrt'.includes(e))
        return { offset: i, message: `bad escape '\\${e ?? ''}' in string` };
      i += 2;
      continue;
    }
    if (c < 0x20) return { offset: i, message: 'control character in string (write a line break as \\n)' };
    i++;
  }
  return { offset: start, message: 'unterminated string' };
}
