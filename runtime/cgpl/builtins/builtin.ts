// What a built-in is, and the argument helpers every built-in file uses.
import { fail } from '../errors';
import type { Task } from '../task';
import { typeName, type Value } from '../values';

export interface Builtin {
  /** The spelling used in messages; lookup is case-insensitive. */
  name: string;
  /** A procedure used as a value is an error; a function used as a statement discards its result. */
  kind: 'function' | 'procedure';
  min: number;
  max: number;
  /** Talks to the call session and returns a promise: the interpreter awaits only these. */
  async?: boolean;
  call(task: Task, args: Value[]): Value | Promise<Value>;
}

type Sync = (task: Task, args: Value[]) => Value;
type Async = (task: Task, args: Value[]) => Promise<Value>;
type SyncProc = (task: Task, args: Value[]) => unknown;
type AsyncProc = (task: Task, args: Value[]) => Promise<unknown>;

export function fn(name: string, min: number, max: number, call: Sync): Builtin {
  return { name, kind: 'function', min, max, call };
}
export function proc(name: string, min: number, max: number, call: SyncProc): Builtin {
  return { name, kind: 'procedure', min, max, call: (t, a) => (call(t, a), null) };
}
export function asyncFn(name: string, min: number, max: number, call: Async): Builtin {
  return { name, kind: 'function', min, max, async: true, call };
}
export function asyncProc(name: string, min: number, max: number, call: AsyncProc): Builtin {
  return { name, kind: 'procedure', min, max, async: true, call: async (t, a) => (await call(t, a), null) };
}

export function str(name: string, v: Value, n: number): string {
  if (typeof v !== 'string') fail(`${name}: argument ${n} must be a string, got ${typeName(v)}`);
  return v as string;
}
export function num(name: string, v: Value, n: number): bigint {
  if (typeof v !== 'bigint') fail(`${name}: argument ${n} must be a number, got ${typeName(v)}`);
  return v as bigint;
}
/** A number argument that may be omitted (null or missing). */
export function optNum(name: string, v: Value | undefined, n: number): number | undefined {
  return v === undefined || v === null ? undefined : Number(num(name, v, n));
}
