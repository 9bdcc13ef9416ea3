// d.key, d.(expr), a[i]: reading is forgiving (missing → null), writing is strict.
import { fail } from './errors';
import { typeName, type Value } from './values';

export function getMember(obj: Value, key: Value): Value {
  if (obj === null) return null;
  if (!(obj instanceof Map)) return fail(`cannot read key of a ${typeName(obj)}: not a dictionary`);
  if (typeof key !== 'string') return fail(`dictionary key must be a string, got ${typeName(key)}`);
  const v = obj.get(key);
  return v === undefined ? null : v;
}

/** Setting a key to null removes it, so a dictionary never holds null values. */
export function setMember(obj: Value, key: Value, v: Value): void {
  if (!(obj instanceof Map)) fail(`cannot set key of a ${typeName(obj)}: not a dictionary`);
  if (typeof key !== 'string') fail(`dictionary key must be a string, got ${typeName(key)}`);
  const d = obj as Map<string, Value>;
  if (v === null) d.delete(key as string);
  else d.set(key as string, v);
}

function position(i: bigint, size: number): number {
  return i >= 0n && i < BigInt(size) ? Number(i) : -1;
}

/** a[i] → element or null when out of range; a dictionary indexed by a number gives that key. */
export function getIndex(obj: Value, index: Value): Value {
  if (obj === null) return null;
  if (Array.isArray(obj)) {
    if (typeof index !== 'bigint') return fail(`array index must be a number, got ${typeName(index)}`);
    const p = position(index, obj.length);
    return p < 0 ? null : obj[p]!;
  }
  if (obj instanceof Map) {
    if (typeof index === 'string') return getMember(obj, index);
    if (typeof index !== 'bigint') return fail(`dictionary index must be a number, got ${typeName(index)}`);
    const p = position(index, obj.size);
    if (p < 0) return null;
    let n = 0;
    for (const k of obj.keys()) if (n++ === p) return k;
    return null;
  }
  return fail(`cannot index a ${typeName(obj)}`);
}

/** a[i] = x replaces; a[Length(a)] = x appends; anything further is an error. */
export function setIndex(obj: Value, index: Value, v: Value): void {
  if (obj instanceof Map && typeof index === 'string') return setMember(obj, index, v);
  if (!Array.isArray(obj)) return fail(`cannot set an element of a ${typeName(obj)}: not an array`);
  if (typeof index !== 'bigint') return fail(`array index must be a number, got ${typeName(index)}`);
  if (index < 0n || index > BigInt(obj.length)) {
    fail(`array index ${index} out of range (the array has ${obj.length} elements)`);
  }
  obj[Number(index)] = v;
}
