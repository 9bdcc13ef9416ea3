// Reading a folder's PBX environment file (pbx.json): JSON syntax errors and shape errors come back
// as problems with file, line and column; semantic problems (unknown group members, aliases that
// collide, bad times) too. Never throws. `simulate`, `test`, `serve`, `run` and `deploy` all read the
// environment through here.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { findSyntaxError, formatPath, lineColumn } from '../../compiler/flow/load';
import { PBX_FILE, PBX_FORMAT, PbxFileSchema, pbxProblems } from '../../compiler/flow/pbx';
import type { PbxEnvironment } from '../../compiler/flow/pbx';
import type { Problem } from '../../compiler/flow/problems';

export interface PbxFileResult {
  /** The environment; null when the folder has none (`problems` empty) or it has errors. */
  pbx: PbxEnvironment | null;
  /** The file that was (or would be) read. */
  file: string;
  /** Errors and warnings, each with file, line and column when known. */
  problems: Problem[];
}

/** The environment file of a folder. */
export function pbxFileOf(dir: string): string {
  return join(dir, PBX_FILE);
}

/**
 * @example
 *   const { pbx, problems } = await loadPbxFile('samples/autosecretary');
 *   for (const p of problems) console.error(formatProblem(p));
 */
export async function loadPbxFile(dir: string): Promise<PbxFileResult> {
  const file = pbxFileOf(dir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { pbx: null, file, problems: [] };
    return {
      pbx: null,
      file,
      problems: [{ severity: 'error', code: 'FLOW350', message: `cannot read (${code ?? String(err)})`, file }],
    };
  }
  return { file, ...parsePbxText(text, file) };
}

/** The text of a pbx.json file → the environment, or problems located in the text. */
export function parsePbxText(text: string, file: string): { pbx: PbxEnvironment | null; problems: Problem[] } {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (err) {
    const found = findSyntaxError(source);
    const where = found ? lineColumn(source, found.offset) : {};
    const message = `invalid JSON: ${found?.message ?? (err instanceof Error ? err.message : String(err))}`;
    return { pbx: null, problems: [{ severity: 'error', code: 'FLOW301', message, file, ...where }] };
  }
  const at = locator(source, file);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return {
      pbx: null,
      problems: [{ severity: 'error', code: 'FLOW302', message: 'the PBX environment must be a JSON object', file }],
    };
  if ((value as { format?: unknown }).format !== PBX_FORMAT) {
    const format = (value as { format?: unknown }).format;
    const message =
      format === undefined
        ? `missing "format": expected '${PBX_FORMAT}'`
        : `unsupported format ${JSON.stringify(format)}: expected '${PBX_FORMAT}'`;
    return { pbx: null, problems: [at(['format'], { severity: 'error', code: 'FLOW302', message, path: 'format' })] };
  }
  const parsed = PbxFileSchema.safeParse(value);
  if (!parsed.success) {
    return {
      pbx: null,
      problems: parsed.error.issues.map((issue) => {
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
        const message =
          issue.code === 'unrecognized_keys' ? `unknown field ${JSON.stringify(issue.keys[0])}` : issue.message;
        return at(path, { severity: 'error', code: 'FLOW302', message, path: formatPath(path) });
      }),
    };
  }
  const problems = pbxProblems(parsed.data).map((p) => at(pathOf(p.path ?? ''), p));
  return { pbx: problems.some((p) => p.severity === 'error') ? null : parsed.data, problems };
}

/** Adds file, line and column (of the value at a JSON path) to a problem. */
function locator(text: string, file: string): (path: PropertyKey[], p: Problem) => Problem {
  const tree = parseTree(text);
  return (path, p) => {
    const segments = path.map((k) => (typeof k === 'number' ? k : String(k)));
    let node = tree ? findNodeAtLocation(tree, segments) : undefined;
    // A missing key: point at the object that lacks it.
    for (let n = segments.length - 1; node === undefined && n >= 0 && tree; n--) {
      node = findNodeAtLocation(tree, segments.slice(0, n));
    }
    const where = node ? lineColumn(text, node.parent?.type === 'property' ? node.parent.offset : node.offset) : {};
    return { ...p, file, ...where };
  };
}

/** "accounts[1].aliases[0]" / 'aliases["200"]' → path segments. */
function pathOf(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)) {
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[3] !== undefined) out.push(JSON.parse(`"${m[3]}"`) as string);
  }
  return out;
}
