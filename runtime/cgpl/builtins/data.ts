// Arrays, dictionaries, the text and JSON formats, Vars(), RandomNumber, Void.
import { randomBytes } from 'node:crypto';
import { setIndex } from '../access';
import { fail } from '../errors';
import { int64, typeName, valuesEqual, type Dict, type Value } from '../values';
import { fn, num, proc, str, type Builtin } from './builtin';
import { formatTimestamp, objectToString, parseObject } from './textFormat';

function toJson(v: Value, depth: number): string {
  if (depth > 100) return 'null';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString('base64'));
  if (v instanceof Date) return JSON.stringify(formatTimestamp(v).slice(2));
  if (Array.isArray(v)) return '[' + v.map((e) => toJson(e, depth + 1)).join(',') + ']';
  if (v instanceof Map) {
    return '{' + [...v].map(([k, e]) => JSON.stringify(k) + ':' + toJson(e, depth + 1)).join(',') + '}';
  }
  return 'null';
}

/** JSON → CG/PL: integers become numbers (fractions are cut), true → "YES", false → null. */
function fromJson(x: unknown, depth = 0): Value {
  if (depth > 100 || x === null || x === undefined || x === false) return null;
  if (x === true) return 'YES';
  if (typeof x === 'string') return x;
  if (typeof x === 'number') return Number.isFinite(x) ? int64(BigInt(Math.trunc(x))) : null;
  if (Array.isArray(x)) return x.map((e) => fromJson(e, depth + 1));
  if (typeof x === 'object') {
    const d: Dict = new Map();
    for (const [k, e] of Object.entries(x as Record<string, unknown>)) {
      const v = fromJson(e, depth + 1);
      if (v !== null) d.set(k, v);
    }
    return d;
  }
  return null;
}

function randomNumber(): bigint {
  return randomBytes(8).readBigUInt64BE() >> 1n;
}

export const dataBuiltins: Builtin[] = [
  fn('NewArray', () => []),
  fn('NewDictionary', () => new Map()),
  fn('Vars', (t) => t.vars),
  proc('AddElement', (_t, [a, x]) => {
    if (!Array.isArray(a)) fail(`AddElement: argument 1 must be an array, got ${typeName(a!)}`);
    setIndex(a!, BigInt((a as Value[]).length), x!);
  }),
  proc('RemoveElement', (_t, [a, k]) => {
    if (Array.isArray(a)) {
      const i = num('RemoveElement', k!, 2);
      if (i >= 0n && i < BigInt(a.length)) a.splice(Number(i), 1);
    } else if (a instanceof Map) a.delete(str('RemoveElement', k!, 2));
    else fail(`RemoveElement: argument 1 must be an array or a dictionary, got ${typeName(a!)}`);
  }),
  /** Find(array, x) → index of an equal element; Find(dictionary, key) → the key's position; else -1. */
  fn('Find', (_t, [a, x]) => {
    if (Array.isArray(a)) return BigInt(a.findIndex((e) => valuesEqual(e, x!)));
    if (a instanceof Map) return BigInt([...a.keys()].indexOf(str('Find', x!, 2)));
    return fail(`Find: argument 1 must be an array or a dictionary, got ${typeName(a!)}`);
  }),
  fn('ObjectToString', (_t, [v]) => objectToString(v!)),
  /** null when the text is not an object (CG/PL's way of reporting it). */
  fn('ToObject', (_t, [s]) => {
    const r = parseObject(str('ToObject', s!, 1));
    return r.ok ? r.value : null;
  }),
  fn('ObjectToJSON', (_t, [v]) => toJson(v!, 0)),
  fn('JSONToObject', (_t, [s]) => {
    try {
      return fromJson(JSON.parse(str('JSONToObject', s!, 1)));
    } catch (e) {
      if (e instanceof SyntaxError) return null;
      throw e;
    }
  }),
  fn('RandomNumber', randomNumber),
  proc('Void', () => undefined),
];
