// Variable names in the generated program. CG/PL names are case-insensitive, so every spelling of a
// flow variable maps to one name; names that are not CG/PL identifiers, or that are keywords or
// built-ins (`number`, `date` — the validator refuses those, but compiling must still give a program
// the checker accepts), are made into one; the program's own helpers (input, choice, next …) step
// aside for the flow's variables.
import type { FlowDocument } from '../flow/schema';
import { BUILTIN_VARIABLES } from '../flow/model';
import { CGPL_KEYWORDS, IDENTIFIER, parseTemplate } from '../flow/templates';
import { findBuiltinSpec } from '../cgpl/builtins';

export type InternalName =
  | 'next'
  | 'input'
  | 'choice'
  | 'tries'
  | 'target'
  | 'part'
  | 'content'
  | 'now'
  | 'dial'
  | 'dialError'
  | 'answered';

export interface Names {
  /** The CG/PL name of a flow variable. */
  variable(flowName: string): string;
  /** A helper variable of the generated code that no flow variable uses. */
  internal(base: InternalName): string;
  /** A template placeholder that is a built-in ({{account}} …), or undefined. */
  builtin(placeholder: string): string | undefined;
}

function flowVariableNames(flow: FlowDocument): string[] {
  const out: string[] = flow.variables.map((v) => v.name);
  const fromTemplate = (t: string) => {
    for (const p of parseTemplate(t)) if (p.kind === 'var' && !(p.name in BUILTIN_VARIABLES)) out.push(p.name);
  };
  for (const n of flow.nodes) {
    switch (n.type) {
      case 'collectDigits':
        out.push(n.data.variable);
        break;
      case 'recordVoicemail':
        out.push(n.data.variable);
        break;
      case 'setVariable':
        out.push(n.data.variable);
        fromTemplate(n.data.value);
        break;
      case 'condition':
        if (!(n.data.variable in BUILTIN_VARIABLES)) out.push(n.data.variable);
        fromTemplate(n.data.value);
        break;
      case 'transfer':
        fromTemplate(n.data.target);
        break;
      case 'sendEmail':
        for (const t of [n.data.from, n.data.to, n.data.subject, n.data.body]) fromTemplate(t);
        if (n.data.attachRecording) out.push(n.data.attachRecording);
        break;
      default:
        break;
    }
  }
  return out;
}

const isPlainName = (s: string) => IDENTIFIER.test(s) && !CGPL_KEYWORDS.has(s.toLowerCase()) && !findBuiltinSpec(s);

export function makeNames(flow: FlowDocument): Names {
  const taken = new Set<string>(); // lower-cased CG/PL names in use
  const byKey = new Map<string, string>(); // lower-cased flow name → CG/PL name
  const all = flowVariableNames(flow);
  for (const v of all) {
    if (isPlainName(v) && !byKey.has(v.toLowerCase())) {
      byKey.set(v.toLowerCase(), v);
      taken.add(v.toLowerCase());
    }
  }
  const fresh = (base: string) => {
    let n = base;
    for (let i = 2; taken.has(n.toLowerCase()); i++) n = `${base}${i}`;
    taken.add(n.toLowerCase());
    return n;
  };
  const sanitize = (v: string) => {
    let s = v.replace(/[^A-Za-z0-9_]/g, '_');
    if (!/^[A-Za-z]/.test(s)) s = `v${s}`;
    if (CGPL_KEYWORDS.has(s.toLowerCase()) || findBuiltinSpec(s)) s = `${s}_`;
    return fresh(s);
  };
  for (const v of all) if (!byKey.has(v.toLowerCase())) byKey.set(v.toLowerCase(), sanitize(v));

  const internals = new Map<string, string>();
  return {
    variable(flowName) {
      let n = byKey.get(flowName.toLowerCase());
      if (n === undefined)
        byKey.set(flowName.toLowerCase(), (n = isPlainName(flowName) ? fresh(flowName) : sanitize(flowName)));
      return n;
    },
    internal(base) {
      let n = internals.get(base);
      if (n === undefined) internals.set(base, (n = fresh(base)));
      return n;
    },
    builtin(placeholder) {
      return BUILTIN_VARIABLES[placeholder];
    },
  };
}
