// Checking a call against a scenario's expectations; each mismatch is a readable expected-vs-actual.
import { legsOf, type LegResult } from '../call/simulated';
import type { HangupBy, Trace } from '../call/trace';
import type { Expectations } from './schema';

/** What a call did, taken from its trace. */
export interface CallFacts {
  prompts: string[];
  emails: { to: string; subject: string; status: 'queued' | 'failed'; error?: string }[];
  transfer: string | null;
  endedBy: HangupBy | null;
  legs: LegResult[];
  /** Who the caller's task was bridged with (the answered parties of the tasks it bridged to). */
  bridged: string[];
}

export function callFacts(trace: Trace): CallFacts {
  const legs = legsOf(trace);
  const facts: CallFacts = { prompts: [], emails: [], transfer: null, endedBy: null, legs, bridged: [] };
  for (const e of trace.list()) {
    if (e.task !== undefined) {
      // another task's events: only what the caller heard and the mail count
      if (e.kind === 'email-queued') facts.emails.push({ to: e.to, subject: e.subject, status: 'queued' });
      else if (e.kind === 'email-failed')
        facts.emails.push({ to: e.to, subject: e.subject, status: 'failed', error: e.error });
      continue;
    }
    if (e.kind === 'bridge' && e.state === 'started') {
      const leg = legs.find((l) => l.task === e.with && l.outcome === 'answered');
      facts.bridged.push(leg?.to ?? e.with);
      continue;
    }
    if (e.kind === 'prompt-started') facts.prompts.push(e.name);
    else if (e.kind === 'email-queued') facts.emails.push({ to: e.to, subject: e.subject, status: 'queued' });
    else if (e.kind === 'email-failed')
      facts.emails.push({ to: e.to, subject: e.subject, status: 'failed', error: e.error });
    else if (e.kind === 'transfer') facts.transfer = e.target;
    else if (e.kind === 'hangup' && facts.endedBy === null) facts.endedBy = e.by;
  }
  return facts;
}

/** The differences, one block of lines each; empty when the call did what was expected. */
export function checkExpectations(expect: Expectations, facts: CallFacts): string[] {
  const diff: string[] = [];
  if (expect.prompts !== undefined) diff.push(...comparePrompts(expect.prompts, facts.prompts));
  if (expect.email === null && facts.emails.length > 0) {
    diff.push('email: expected none', ...facts.emails.map((m) => `  sent:     ${describeEmail(m)}`));
  } else if (expect.email) {
    const want = expect.email;
    const matches = facts.emails.some(
      (m) =>
        (want.to === undefined || m.to.toLowerCase() === want.to.toLowerCase()) &&
        (want.subjectContains === undefined || m.subject.includes(want.subjectContains)) &&
        (want.status === undefined || m.status === want.status),
    );
    if (!matches) {
      const wanted = [
        want.to !== undefined ? `to ${want.to}` : '',
        want.subjectContains !== undefined ? `subject containing ${JSON.stringify(want.subjectContains)}` : '',
        want.status !== undefined ? want.status : '',
      ]
        .filter((s) => s !== '')
        .join(', ');
      diff.push(`email: expected one ${wanted || '(any)'}`);
      if (facts.emails.length === 0) diff.push('  sent:     none');
      else diff.push(...facts.emails.map((m) => `  sent:     ${describeEmail(m)}`));
    }
  }
  if (expect.transfer !== undefined && expect.transfer !== facts.transfer) {
    diff.push(`transfer: expected ${expect.transfer}`, `  actual:   ${facts.transfer ?? 'no transfer'}`);
  }
  if (expect.legs !== undefined) diff.push(...compareLegs(expect.legs, facts.legs));
  if (expect.bridged !== undefined) {
    const ok =
      expect.bridged === false
        ? facts.bridged.length === 0
        : facts.bridged.some((b) => b.toLowerCase() === (expect.bridged as string).toLowerCase());
    if (!ok)
      diff.push(
        `bridged: expected ${expect.bridged === false ? 'no bridge' : expect.bridged}`,
        `  actual:   ${facts.bridged.join(', ') || 'no bridge'}`,
      );
  }
  if (expect.endedBy !== undefined && expect.endedBy !== facts.endedBy) {
    diff.push(`ended by: expected ${expect.endedBy}`, `  actual:   ${facts.endedBy ?? 'the call did not end'}`);
  }
  return diff;
}

function compareLegs(expected: NonNullable<Expectations['legs']>, legs: LegResult[]): string[] {
  const show = (l: { to: string; outcome?: string }) => `${l.to}${l.outcome ? ` ${l.outcome}` : ''}`;
  const same =
    expected.length === legs.length &&
    expected.every(
      (want, i) =>
        want.to.toLowerCase() === legs[i]!.to.toLowerCase() &&
        (want.outcome === undefined || want.outcome === legs[i]!.outcome),
    );
  if (same) return [];
  return [
    'legs: differ',
    `  expected: ${expected.map(show).join(', ') || '(none)'}`,
    `  actual:   ${legs.map((l) => show({ to: l.to, outcome: l.outcome })).join(', ') || '(none)'}`,
  ];
}

function comparePrompts(expected: string[], heard: string[]): string[] {
  let i = 0;
  while (i < expected.length && i < heard.length && expected[i] === heard[i]) i++;
  if (i === expected.length && i === heard.length) return [];
  const what =
    i < expected.length && i < heard.length
      ? `expected ${expected[i]}, heard ${heard[i]}`
      : i < expected.length
        ? `expected ${expected[i]}, heard nothing more`
        : `heard ${heard[i]} too`;
  return [
    `prompts: differ at #${i + 1} (${what})`,
    `  expected: ${expected.join(', ') || '(none)'}`,
    `  heard:    ${heard.join(', ') || '(none)'}`,
  ];
}

function describeEmail(m: CallFacts['emails'][number]): string {
  return `to ${m.to}, subject ${JSON.stringify(m.subject)}, ${m.status}${m.error ? ` (${m.error})` : ''}`;
}
