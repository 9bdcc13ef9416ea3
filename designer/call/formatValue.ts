// The debugger's variables as `name = value` rows. The server sends CG/PL values already as JSON
// (runtime/cgpl/debug.ts): strings, numbers (large ones as decimal strings), null, arrays,
// dictionaries, and "<datablock N bytes>"-style summaries.

export interface VariableRow {
  name: string;
  value: string;
}

/** Longest value text shown in a row; the rest is cut so one big dictionary cannot swamp the panel. */
export const MAX_VALUE_TEXT = 200;

/** The variables of a call.paused message; anything that is not a JSON object has none. */
export function asVariables(x: unknown): Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

/** One line of CG/PL-like text: strings quoted, arrays in (), dictionaries in {key=value;}. */
export function formatValue(v: unknown, max = MAX_VALUE_TEXT): string {
  const text = write(v, 0);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

const SUMMARY = /^<(datablock \d+ bytes|array of \d+|dictionary of \d+|task [^<>]*|timestamp invalid)>$/;

function write(v: unknown, depth: number): string {
  if (v === null || v === undefined) return 'null';
  // The server's summaries of what it does not list read better bare, like the CG/PL they stand for.
  if (typeof v === 'string') return SUMMARY.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  // Deeper than the server's own cap means the data is not ours: do not recurse on.
  if (depth > 16) return '…';
  if (Array.isArray(v)) return `(${v.map((x) => write(x, depth + 1)).join(', ')})`;
  if (typeof v === 'object') {
    const parts = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}=${write(x, depth + 1)};`);
    return `{${parts.join('')}}`;
  }
  return String(v);
}

/** Rows in the order the program's variables were first used. */
export function variableRows(variables: unknown): VariableRow[] {
  return Object.entries(asVariables(variables)).map(([name, v]) => ({ name, value: formatValue(v) }));
}
