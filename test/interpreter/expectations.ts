// Reads the inline expectations of a test program (comments in the .sppr file).
import type { ScriptStep } from '../helpers/testCall';

export interface Expectations {
  logs: string[];
  error: { text: string; line: number | null } | null;
  ended: string | null;
  prompts: string[] | null;
  emails: string[];
  script: ScriptStep[];
  start: string | undefined;
  budget: number | undefined;
  now: Date | undefined;
  tz: string | undefined;
  emailFails: string | null;
}

/**
 * `// expect: text` (a SysLog line), `// expect runtime error: text` (on a code line: that line too),
 * `// expect ended: stop`, `// expect prompts: A, B`, `// expect email: subject`,
 * `// input: 12#` | `timeout` | `hangup` | `event Name`, `// start: x`, `// budget: n`, `// now: ISO`,
 * `// tz: Zone`, `// email fails: text`.
 */
export function readExpectations(source: string): Expectations {
  const x: Expectations = {
    logs: [],
    error: null,
    ended: null,
    prompts: null,
    emails: [],
    script: [],
    start: undefined,
    budget: undefined,
    now: undefined,
    tz: undefined,
    emailFails: null,
  };
  source.split('\n').forEach((raw, i) => {
    const at = raw.indexOf('// ');
    if (at < 0) return;
    const code = raw.slice(0, at).trim();
    const m =
      /^\/\/ (expect runtime error|expect ended|expect prompts|expect email|expect|input|start|budget|now|tz|email fails): ?(.*)$/.exec(
        raw.slice(at).trimEnd(),
      );
    if (!m) return;
    const [, key, value] = m as unknown as [string, string, string];
    switch (key) {
      case 'expect':
        x.logs.push(value);
        break;
      case 'expect runtime error':
        x.error = { text: value, line: code ? i + 1 : null };
        break;
      case 'expect ended':
        x.ended = value;
        break;
      case 'expect prompts':
        x.prompts = value
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        break;
      case 'expect email':
        x.emails.push(value);
        break;
      case 'input':
        if (value === 'timeout') x.script.push(null);
        else if (value === 'hangup') x.script.push('hangup');
        else if (value.startsWith('event ')) x.script.push({ event: { what: value.slice(6), sender: 'test' } });
        else x.script.push(value);
        break;
      case 'start':
        x.start = value;
        break;
      case 'budget':
        x.budget = Number(value);
        break;
      case 'now':
        x.now = new Date(value);
        break;
      case 'tz':
        x.tz = value;
        break;
      case 'email fails':
        x.emailFails = value;
        break;
    }
  });
  return x;
}
