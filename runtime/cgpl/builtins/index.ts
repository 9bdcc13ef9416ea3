// How the local runtime carries out the registry's built-ins (compiler/cgpl/builtins.ts), by lower-cased
// registry name. A documented built-in missing here is refused when the task reaches it (RUN403) —
// never run as a silent no-op. To add one: write it in the file of its area (or a new one), list it below.
import type { Builtin } from './builtin';
import { accountBuiltins } from './account';
import { callBuiltins } from './calls';
import { dataBuiltins } from './data';
import { pbxBuiltins } from './pbx';
import { stringBuiltins } from './strings';
import { timeBuiltins } from './time';

export type { Builtin } from './builtin';

export const IMPLEMENTATIONS: ReadonlyMap<string, Builtin> = new Map(
  [...pbxBuiltins, ...callBuiltins, ...accountBuiltins, ...stringBuiltins, ...dataBuiltins, ...timeBuiltins].map(
    (b) => [b.name.toLowerCase(), b],
  ),
);

export function findImplementation(name: string): Builtin | undefined {
  return IMPLEMENTATIONS.get(name.toLowerCase());
}
