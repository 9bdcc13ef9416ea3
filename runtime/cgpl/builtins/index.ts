// All built-ins, looked up by lower-cased name.
import type { Builtin } from './builtin';
import { accountBuiltins } from './account';
import { callBuiltins } from './calls';
import { dataBuiltins } from './data';
import { pbxBuiltins } from './pbx';
import { stringBuiltins } from './strings';
import { timeBuiltins } from './time';

export type { Builtin } from './builtin';

export const BUILTINS: ReadonlyMap<string, Builtin> = new Map(
  [...pbxBuiltins, ...callBuiltins, ...accountBuiltins, ...stringBuiltins, ...dataBuiltins, ...timeBuiltins].map(
    (b) => [b.name.toLowerCase(), b],
  ),
);

export function findBuiltin(name: string): Builtin | undefined {
  return BUILTINS.get(name.toLowerCase());
}
