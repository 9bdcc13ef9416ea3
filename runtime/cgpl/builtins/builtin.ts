// What a built-in is, and the argument helpers every built-in file uses.
import { fail } from '../errors';
import type { Task } from '../task';
import { typeName, type Value } from '../values';

/**
 * How the local runtime carries out one built-in of the registry (compiler/cgpl/builtins.ts). The
 * registry says what the built-in is (function or procedure, argument counts, environment) and the
 * checker has refused every call that breaks it before the task starts, so an implementation only
 * handles the argument counts the registry allows.
 */
export interface Builtin {
  /** The registry name; lookup is case-insensitive. */
  name: string;
  /** Must be the registry's kind (a test checks): a procedure's call returns null. */
  kind: 'function' | 'procedure';
  /** Talks to the call session and returns a promise: the interpreter awaits only these. */
  async?: boolean;
  call(task: Task, args: Value[]): Value | Promise<Value>;
}

type Sync = (task: Task, args: Value[]) => Value;
type Async = (task: Task, args: Value[]) => Promise<Value>;
type SyncProc = (task: Task, args: Value[]) => unknown;
type AsyncProc = (task: Task, args: Value[]) => Promise<unknown>;

export function fn(name: string, call: Sync): Builtin {
  return { name, kind: 'function', call };
}
export function proc(name: string, call: SyncProc): Builtin {
  return { name, kind: 'procedure', call: (t, a) => (call(t, a), null) };
}
export function asyncFn(name: string, call: Async): Builtin {
  return { name, kind: 'function', async: true, call };
}
export function asyncProc(name: string, call: AsyncProc): Builtin {
  return { name, kind: 'procedure', async: true, call: async (t, a) => (await call(t, a), null) };
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
