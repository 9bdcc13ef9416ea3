// Pure parts of the designer's clarity work: flow-local time, the hours explanation, problems in
// plain words, and the preferences the server hands back (untrusted: property-tested).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { describeWall, wallTime, zonedToInstant } from '../../designer/call/zonedTime';
import { explainHours } from '../../designer/call/hoursTrace';
import { describeProblem, fieldName } from '../../designer/panels/problemText';
import { checkPrefs, DEFAULT_PREFS } from '../../designer/store/prefs';
import { callbackFlow } from './helpers';
import type { TraceEvent } from '../../runtime/call/trace';
import type { FlowDocument } from '../../compiler/flow/schema';

describe('flow-local time', () => {
  it('reads a wall-clock time in the zone, also across a DST change', () => {
    expect(zonedToInstant('2026-11-29T23:00', 'Europe/Moscow')!.toISOString()).toBe('2026-11-29T20:00:00.000Z');
    expect(zonedToInstant('2026-07-01T09:30', 'Europe/Berlin')!.toISOString()).toBe('2026-07-01T07:30:00.000Z');
    expect(zonedToInstant('2026-01-01T09:30', 'Europe/Berlin')!.toISOString()).toBe('2026-01-01T08:30:00.000Z');
    expect(zonedToInstant('2026-03-08T12:00', 'America/New_York')!.toISOString()).toBe('2026-03-08T16:00:00.000Z');
    expect(zonedToInstant('not a time', 'UTC')).toBeNull();
    expect(describeWall(Date.parse('2026-11-29T20:00:00Z'), 'Europe/Moscow')).toBe('Sunday 2026-11-29 23:00');
  });

  it('round-trips every whole minute of a year (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 24 * 60 }),
        fc.constantFrom('Europe/Moscow', 'UTC', 'Asia/Tokyo'),
        (m, zone) => {
          const ms = Date.UTC(2026, 0, 1) + m * 60_000;
          const w = wallTime(ms, zone);
          const p = (n: number) => String(n).padStart(2, '0');
          const local = `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
          return zonedToInstant(local, zone)!.getTime() === ms;
        },
      ),
      { numRuns: 300 },
    );
  });
});

function hoursFlow(): FlowDocument {
  const doc = callbackFlow();
  return {
    ...doc,
    nodes: [
      ...doc.nodes,
      {
        id: 'hours',
        type: 'businessHours',
        position: { x: 0, y: 0 },
        data: {
          label: 'Office hours',
          timeZone: 'Europe/Moscow',
          schedule: [{ days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'], from: '09:00', to: '18:00' }],
          holidays: ['2026-12-31'],
        },
      } as FlowDocument['nodes'][number],
    ],
    edges: [
      ...doc.edges,
      { id: 'h-open', source: 'hours', sourceHandle: 'open', target: 'intro' },
      { id: 'h-closed', source: 'hours', sourceHandle: 'closed', target: 'bye' },
    ],
  };
}

describe('the hours explanation', () => {
  const events = (next: string): TraceEvent[] => [
    { kind: 'node', id: 'hours', t: 1000 } as TraceEvent,
    { kind: 'node', id: next, t: 1001 } as TraceEvent,
  ];
  it('names the branch taken, the local time in the zone and the schedule; holidays say so', () => {
    const doc = hoursFlow();
    expect(explainHours(doc, events('bye'), 0, Date.parse('2026-11-29T20:00:00Z') - 1000)).toBe(
      'closed: Sunday 2026-11-29 23:00 Europe/Moscow (open Mon Tue Wed Thu Fri 09:00–18:00)',
    );
    expect(explainHours(doc, events('bye'), 0, Date.parse('2026-12-31T08:00:00Z'))).toMatch(
      /^closed: Thursday 2026-12-31 11:00 Europe\/Moscow, holiday 2026-12-31/,
    );
    expect(explainHours(doc, events('intro'), 0, Date.parse('2026-11-30T08:00:00Z'))).toMatch(/^open: Monday/);
    expect(explainHours(doc, events('intro'), 1, 0)).toBeNull();
  });
});

describe('problems in plain words', () => {
  it('names the node by its label and kind, and the field as the form does', () => {
    const names = new Map([['mail', { id: 'mail', type: 'sendEmail' as const, label: 'E-mail the account' }]]);
    expect(
      describeProblem(
        { code: 'FLOW330', severity: 'error', message: 'must not be empty', nodeId: 'mail', field: 'from' },
        names,
      ),
    ).toEqual({
      where: 'E-mail the account (Send e-mail)',
      text: 'from: must not be empty',
    });
    expect(fieldName('maxDigits')).toBe('max digits');
    expect(fieldName('options[2].digit')).toBe('option 3 › digit');
    expect(
      describeProblem(
        { code: 'FLOW350', severity: 'error', message: 'is required', field: 'environment.domain' },
        names,
      ).where,
    ).toBe('Flow settings');
  });
});

describe('preferences from the server', () => {
  it('keep only what has the right shape, whatever arrives (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const p = checkPrefs(value);
        return (
          ['system', 'light', 'dark'].includes(p.theme) &&
          Array.isArray(p.collapsed) &&
          Object.values(p.layouts).every((l) => Object.values(l).every((n) => n >= 0 && n <= 100))
        );
      }),
      { numRuns: 500 },
    );
    expect(checkPrefs(null)).toEqual(DEFAULT_PREFS);
    expect(checkPrefs({ theme: 'dark', layouts: { main: { left: 20, right: 'x' } }, collapsed: ['left', 3] })).toEqual({
      theme: 'dark',
      layouts: { main: { left: 20 } },
      collapsed: ['left'],
      minimap: null,
    });
  });
});
