// Fuzzing the public entry points: whatever the file holds, loading and validating return problems.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CGPL_KEYWORDS,
  FLOW_FORMAT,
  loadFlow,
  outputHandles,
  parseFlowObject,
  validateFlow,
  type Problem,
} from '../../compiler/flow';

const fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/callback.json', import.meta.url), 'utf8'));

function wellFormed(problems: Problem[]): boolean {
  return problems.every(
    (p) => (p.severity === 'error' || p.severity === 'warning') && typeof p.message === 'string' && p.message !== '',
  );
}

/** Load, and validate what loads; fails the property on a throw or on a load with neither flow nor problem. */
let validated = 0;
function check(text: string): boolean {
  const { flow, problems } = loadFlow(text, 'fuzz.json');
  if (!flow) return problems.length > 0 && wellFormed(problems);
  validated += 1;
  return wellFormed(validateFlow(flow));
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** A copy of `value` with the thing at a path (chosen by `picks`) deleted or replaced. */
function mutate(value: Json, picks: number[], replacement: Json, remove: boolean): Json {
  const copy = structuredClone(value);
  let parent: Json = copy;
  for (let depth = 0; depth < picks.length; depth++) {
    const keys: (string | number)[] = Array.isArray(parent)
      ? parent.map((_, i) => i)
      : parent && typeof parent === 'object'
        ? Object.keys(parent)
        : [];
    if (keys.length === 0) break;
    const key = keys[picks[depth]! % keys.length]!;
    const child: Json = (parent as Record<string | number, Json>)[key]!;
    const last = depth === picks.length - 1 || child === null || typeof child !== 'object';
    if (!last) {
      parent = child;
      continue;
    }
    if (remove && Array.isArray(parent)) parent.splice(key as number, 1);
    else if (remove) delete (parent as Record<string, Json>)[key];
    else (parent as Record<string | number, Json>)[key] = replacement;
    break;
  }
  return copy;
}

describe('loadFlow and validateFlow never throw', () => {
  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => check(JSON.stringify(v) ?? 'null')),
      { numRuns: 300 },
    );
  });

  it('on arbitrary values as objects, with or without the right format', () => {
    fc.assert(
      fc.property(fc.anything(), fc.boolean(), (v, withFormat) => {
        const value = withFormat && v && typeof v === 'object' && !Array.isArray(v) ? { ...v, format: FLOW_FORMAT } : v;
        const r = parseFlowObject(value);
        return r.flow ? wellFormed(validateFlow(r.flow)) : r.problems.length > 0;
      }),
      { numRuns: 300 },
    );
  });

  it('on arbitrary text, including cut-off flows', () => {
    const whole = JSON.stringify(fixture, null, 2);
    fc.assert(
      fc.property(fc.string(), fc.nat(whole.length), (s, cut) => check(s) && check(whole.slice(0, cut) + s)),
      { numRuns: 300 },
    );
  });

  it('on the callback flow with keys deleted or values replaced', () => {
    const before = validated;
    const picks = fc.array(fc.nat(), { minLength: 1, maxLength: 7 });
    const mutation = fc.record({ picks, replacement: fc.jsonValue({ maxDepth: 2 }), remove: fc.boolean() });
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => {
        let value = fixture as Json;
        for (const m of mutations) value = mutate(value, m.picks, m.replacement as Json, m.remove);
        return check(JSON.stringify(value));
      }),
      { numRuns: 500 },
    );
    // Most mutations must still load, or validation would hardly be fuzzed at all.
    expect(validated - before).toBeGreaterThan(100);
  });
});

describe('a generated valid flow', () => {
  const key = fc.constantFrom(...'0123456789*#'.split(''));
  const seconds = fc.integer({ min: 1, max: 600 });
  const name = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((n) => !CGPL_KEYWORDS.has(n));
  const node = fc.oneof(
    fc.record({ type: fc.constant('play'), data: fc.record({ prompts: fc.subarray(['Hello', 'Bye']) }) }),
    fc.record({
      type: fc.constant('menu'),
      data: fc.record({
        options: fc.uniqueArray(key, { minLength: 1, maxLength: 12 }).map((ds) => ds.map((digit) => ({ digit }))),
        timeout: seconds,
        retries: fc.integer({ min: 1, max: 10 }),
      }),
    }),
    fc.record({
      type: fc.constant('collectDigits'),
      data: fc
        .tuple(key, fc.option(key, { nil: '' }), fc.integer({ min: 0, max: 64 }), seconds, seconds, name)
        .filter(([end, clear]) => end !== clear)
        .map(([endKey, clearKey, maxDigits, firstDigitTimeout, interDigitTimeout, variable]) => ({
          endKey,
          clearKey,
          maxDigits,
          firstDigitTimeout,
          interDigitTimeout,
          variable,
        })),
    }),
    fc.record({
      type: fc.constant('setVariable'),
      data: fc.record({ variable: name, value: fc.constantFrom('', 'x', '{{caller}}', '{{{{') }),
    }),
    fc.record({
      type: fc.constant('sendEmail'),
      data: fc.record({
        from: fc.constantFrom('{{account}}', 'mailer@{{domain}}', 'a@b.com'),
        to: fc.constantFrom('', 'x@company.com'),
        subject: fc.constantFrom('', 'From {{caller}}'),
      }),
    }),
    fc.record({
      type: fc.constant('businessHours'),
      data: fc.record({
        schedule: fc.constant([{ days: ['Mon', 'Sun'], from: '08:30', to: '24:00' }]),
        holidays: fc.constant(['2026-01-07']),
      }),
    }),
    fc.record({
      type: fc.constant('condition'),
      data: fc.oneof(
        fc.record({
          variable: fc.constant('caller'),
          operator: fc.constantFrom('equals', 'empty'),
          value: fc.constantFrom('', '^sip:', '{{domain}}'),
        }),
        // a pattern is a POSIX extended expression: not empty, no bare '{'
        fc.record({
          variable: fc.constant('caller'),
          operator: fc.constant('matches'),
          value: fc.constantFrom('^sip:', '^[[:alpha:]]+$', '[0-9]{3}', '(a|b)+'),
        }),
      ),
    }),
    fc.record({
      type: fc.constant('recordVoicemail'),
      data: fc.record({ maxSeconds: fc.integer({ min: 1, max: 3600 }), variable: name }),
    }),
    fc.record({
      type: fc.constant('transfer'),
      data: fc.record({ target: fc.constantFrom('operator', 'sip:100@{{domain}}') }),
    }),
  );

  it('has no errors (each node leads on to the next, every other output to a hangup)', () => {
    fc.assert(
      fc.property(fc.array(node, { maxLength: 12 }), (chain) => {
        const nodes: unknown[] = [
          { id: 'start', type: 'start' },
          ...chain.map((n, i) => ({ id: `n${i}`, ...n })),
          { id: 'end', type: 'hangup' },
        ];
        const flow = parseFlowObject({
          format: FLOW_FORMAT,
          name: 'generated',
          nodes,
          prompts: { Hello: { files: { english: 'Hello.wav' } }, Bye: { files: { english: 'Bye.wav' } } },
        }).flow;
        expect(flow).not.toBeNull();
        const ids = flow!.nodes.map((n) => n.id);
        flow!.nodes.forEach((n, i) => {
          const handles = n.type === 'transfer' ? [] : outputHandles(n);
          handles.forEach((h, j) => {
            flow!.edges.push({
              id: `${n.id}-${h}`,
              source: n.id,
              sourceHandle: h,
              target: j === 0 ? ids[i + 1]! : 'end',
            });
          });
        });
        const errors = validateFlow(flow!).filter((p) => p.severity === 'error');
        expect(errors).toEqual([]);
        // A transfer ends the chain, so nodes after it are unreachable: warnings, never errors.
      }),
      { numRuns: 300 },
    );
  });
});
