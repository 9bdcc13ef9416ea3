// What the debugger hook may read besides the position: the innermost routine's variables, turned
// into JSON so a paused call can send them to the designer as they are.
import type { Frame } from './frame';
import { TaskHandle, type Value } from './values';

/** The second argument of RunOptions.onStep. */
export interface StepFrame {
  /**
   * The variables of the routine running the statement (parameters first, then in order of first
   * use), named as first written in the routine's source (CG/PL names are case-insensitive, so
   * `Digits` and `digits` are one variable). A variable not assigned yet is null. Computed on each
   * call, so it costs nothing unless the debugger asks.
   */
  variables(): Record<string, unknown>;
}

/** Arrays and dictionaries nested deeper than this are summarised, not listed. */
export const MAX_DEPTH = 4;
/** Elements (or keys) listed per array or dictionary; the rest are counted in a "…" entry. */
export const MAX_ITEMS = 50;
/** Values converted per snapshot in all, so a wide nested structure cannot blow up a message. */
export const MAX_VALUES = 2000;

/** A frame's variables by name; names are the routine's slot names in slot order. */
export function frameVariables(names: readonly string[], frame: Frame): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const budget = { left: MAX_VALUES };
  names.forEach((name, slot) => {
    out[name] = toJsonSafe(frame.v[slot] ?? null, 0, budget);
  });
  return out;
}

/**
 * A CG/PL value as JSON: strings as they are, numbers as JSON numbers when exactly representable
 * (else decimal strings), null, arrays and dictionaries recursively (capped), datablocks as
 * "<datablock N bytes>", timestamps as ISO strings, task handles as "<task id>".
 */
export function toJsonSafe(v: Value, depth = 0, budget = { left: MAX_VALUES }): unknown {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v.toString();
  }
  if (v instanceof Uint8Array) return `<datablock ${v.length} bytes>`;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '<timestamp invalid>' : v.toISOString();
  if (v instanceof TaskHandle) return `<task ${v.id}>`;
  const size = Array.isArray(v) ? v.length : v.size;
  const what = Array.isArray(v) ? 'array' : 'dictionary';
  // Depth also stops a dictionary that contains itself (objects are shared references).
  if (depth >= MAX_DEPTH || budget.left <= 0) return `<${what} of ${size}>`;
  const shown = Math.min(size, MAX_ITEMS, budget.left);
  budget.left -= shown;
  const more = size - shown;
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    for (let i = 0; i < shown; i++) out.push(toJsonSafe(v[i]!, depth + 1, budget));
    if (more > 0) out.push(`… ${more} more`);
    return out;
  }
  // No prototype: a key such as "__proto__" stays an ordinary key.
  const out = Object.create(null) as Record<string, unknown>;
  let i = 0;
  for (const [k, x] of v) {
    if (i++ >= shown) break;
    out[k] = toJsonSafe(x, depth + 1, budget);
  }
  if (more > 0) out['…'] = `${more} more`;
  return out;
}
