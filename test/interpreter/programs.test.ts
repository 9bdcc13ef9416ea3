// Runs every test program under programs/<feature>/ and compares with its inline expectations.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCgpl } from '../../compiler/cgpl';
import { runProgram } from '../../runtime/cgpl';
import { readExpectations } from './expectations';
import { TestCall } from '../helpers/testCall';

const root = join(import.meta.dirname, 'programs');

for (const feature of readdirSync(root).sort()) {
  describe(feature, () => {
    for (const file of readdirSync(join(root, feature))
      .filter((f) => f.endsWith('.sppr'))
      .sort()) {
      it(file, async () => {
        const source = readFileSync(join(root, feature, file), 'utf8');
        const x = readExpectations(source);
        const parsed = parseCgpl(source, file);
        expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const session = new TestCall({
          script: x.script,
          ...(x.now ? { now: x.now } : {}),
          ...(x.emailFails !== null ? { email: x.emailFails } : {}),
        });
        const result = await runProgram(parsed.program!, session, {
          file,
          ...(x.start !== undefined ? { startParameter: x.start } : {}),
          ...(x.budget !== undefined ? { stepBudget: x.budget } : {}),
          timeZone: x.tz ?? 'UTC',
        });
        expect(session.logs).toEqual(x.logs);
        if (x.error) {
          expect(result.ended).toBe('error');
          expect(result.error?.message).toContain(x.error.text);
          if (x.error.line !== null) expect(result.error?.line).toBe(x.error.line);
        } else {
          expect(result.error).toBeUndefined();
        }
        if (x.ended) expect(result.ended).toBe(x.ended);
        if (x.prompts) expect(session.heard).toEqual(x.prompts);
        expect(session.mailed.map((e) => e.subject)).toEqual(x.emails);
        expect(session.isConnected()).toBe(false);
      });
    }
  });
}
