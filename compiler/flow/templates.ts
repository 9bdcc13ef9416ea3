// Text templates with {{variable}} placeholders (e-mail subject/body/from/to, setVariable, transfer).
// "{{{{" is a literal "{{". A placeholder name is trimmed; an unterminated "{{" is literal text.
import { KEYWORDS } from '../cgpl/tokens';

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'var'; name: string };

export function parseTemplate(source: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith('{{{{', i)) {
      text += '{{';
      i += 4;
      continue;
    }
    if (source.startsWith('{{', i)) {
      const close = source.indexOf('}}', i + 2);
      if (close >= 0) {
        if (text) parts.push({ kind: 'text', text });
        text = '';
        parts.push({ kind: 'var', name: source.slice(i + 2, close).trim() });
        i = close + 2;
        continue;
      }
    }
    text += source[i];
    i += 1;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}

/** The variable names a template refers to, in order of first use. */
export function templateVariables(source: string): string[] {
  const names: string[] = [];
  for (const p of parseTemplate(source)) if (p.kind === 'var' && !names.includes(p.name)) names.push(p.name);
  return names;
}

/** A valid CG/PL variable name: a letter, then letters, digits, underscores. */
export const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** CG/PL's keywords: the lexer's list, so the validator and the parser never disagree. */
export const CGPL_KEYWORDS: ReadonlySet<string> = KEYWORDS;
