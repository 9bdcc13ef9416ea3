// CG/PL values and the few rules every other stage shares (truth, equality, type names, numbers).

import { TaskHandle } from '../call/api';

/** A task handle: what `spawn` and ThisTask() return (the Call API's own handle class). */
export { TaskHandle };

/**
 * null, string, number (bigint, 64-bit), datablock (Uint8Array), timestamp (Date), array,
 * dictionary (Map: case-sensitive keys, insertion order), task handle.
 * Arrays and dictionaries are references: assignment shares them, as CG/PL objects do.
 */
export type Value = null | string | bigint | Uint8Array | Date | Value[] | Dict | TaskHandle;
export type Dict = Map<string, Value>;

export const YES = 'YES';

/**
 * The one truth rule: null is false, everything else (the "YES" of built-ins, any other value) is
 * true. CG/PL conditions test for a null-value; keep any change to that here.
 */
export function isTrue(v: Value): boolean {
  return v !== null;
}

export function truth(b: boolean): Value {
  return b ? YES : null;
}

/**
 * Numbers are 64-bit signed; arithmetic wraps around like the server's C integers do
 * (chosen over an overflow error so a program never stops on a large product).
 */
export function int64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

export function typeName(v: Value): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'number';
  if (v instanceof Uint8Array) return 'datablock';
  if (v instanceof Date) return 'timestamp';
  if (Array.isArray(v)) return 'array';
  if (v instanceof Map) return 'dictionary';
  return 'task';
}

/** Structural equality: same type and same content; different types are never equal. */
export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof TaskHandle) return b instanceof TaskHandle && a.taskId === b.taskId;
  if (a instanceof Uint8Array) {
    if (!(b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!valuesEqual(a[i]!, b[i]!)) return false;
    return true;
  }
  if (a instanceof Map) {
    if (!(b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) {
      if (!b.has(k) || !valuesEqual(v, b.get(k)!)) return false;
    }
    return true;
  }
  return false;
}

/** Host data (start parameters, event parameters, preferences) → CG/PL values. */
export function fromJs(x: unknown, depth = 0): Value {
  if (depth > 64) return null;
  if (x === null || x === undefined) return null;
  if (typeof x === 'string') return x;
  if (typeof x === 'bigint') return int64(x);
  if (typeof x === 'number') return Number.isFinite(x) ? int64(BigInt(Math.trunc(x))) : null;
  if (typeof x === 'boolean') return truth(x);
  if (x instanceof Uint8Array || x instanceof Date || x instanceof TaskHandle) return x;
  if (Array.isArray(x)) return x.map((e) => fromJs(e, depth + 1));
  if (x instanceof Map) {
    const d: Dict = new Map();
    for (const [k, v] of x) d.set(String(k), fromJs(v, depth + 1));
    return d;
  }
  if (typeof x === 'object') {
    const d: Dict = new Map();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) d.set(k, fromJs(v, depth + 1));
    return d;
  }
  return null;
}

const utf8 = new TextEncoder();
// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, NUL included
const ASCII = /^[\x00-\x7f]*$/;

/** CG/PL strings are UTF-8 byte strings: Length and Substring count bytes. */
export function byteLength(s: string): number {
  return ASCII.test(s) ? s.length : utf8.encode(s).length;
}

export function isAscii(s: string): boolean {
  return ASCII.test(s);
}
