import { describe, it, expect } from 'vitest';
import { checkExpectations, callFacts, type CallFacts } from '../../runtime/scenario/expect';
import { Trace } from '../../runtime/call/trace';
import { VirtualClock } from '../../runtime/call/clock';

const facts: CallFacts = {
  prompts: ['CallbackBusy', 'CallbackLater', 'Failure', 'CallbackNotAvailable'],
  emails: [
    { to: 'ivanov@company.com', subject: 'Contact phone:5551234', status: 'failed', error: 'connection refused' },
  ],
  transfer: null,
  endedBy: 'program',
  legs: [],
  bridged: [],
};

describe('checkExpectations', () => {
  it('passes when the call did what was expected', () => {
    expect(
      checkExpectations(
        {
          prompts: facts.prompts,
          email: { to: 'IVANOV@company.com', subjectContains: '5551234', status: 'failed' },
          endedBy: 'program',
        },
        facts,
      ),
    ).toEqual([]);
  });

  it('shows expected against actual for every mismatch', () => {
    expect(
      checkExpectations(
        {
          prompts: ['CallbackBusy', 'CallbackLater', 'CallbackTrailer'],
          email: { subjectContains: '5551234', status: 'queued' },
          transfer: 'sip:operator@company.com',
          endedBy: 'caller',
        },
        facts,
      ),
    ).toEqual([
      'prompts: differ at #3 (expected CallbackTrailer, heard Failure)',
      '  expected: CallbackBusy, CallbackLater, CallbackTrailer',
      '  heard:    CallbackBusy, CallbackLater, Failure, CallbackNotAvailable',
      'email: expected one subject containing "5551234", queued',
      '  sent:     to ivanov@company.com, subject "Contact phone:5551234", failed (connection refused)',
      'transfer: expected sip:operator@company.com',
      '  actual:   no transfer',
      'ended by: expected caller',
      '  actual:   program',
    ]);
  });

  it('email: null means none may be sent; a prompt list that stops short is named', () => {
    expect(checkExpectations({ email: null, prompts: facts.prompts.slice(0, 2) }, facts)).toEqual([
      'prompts: differ at #3 (heard Failure too)',
      '  expected: CallbackBusy, CallbackLater',
      '  heard:    CallbackBusy, CallbackLater, Failure, CallbackNotAvailable',
      'email: expected none',
      '  sent:     to ivanov@company.com, subject "Contact phone:5551234", failed (connection refused)',
    ]);
    expect(checkExpectations({ email: {} }, { ...facts, emails: [] })).toEqual([
      'email: expected one (any)',
      '  sent:     none',
    ]);
  });
});

describe('callFacts', () => {
  it('counts prompts that started (cut ones too), not skipped ones; the first hangup says who ended it', () => {
    const trace = new Trace(new VirtualClock(0));
    trace.add({ kind: 'prompt-started', name: 'A', language: 'english', path: 'A.wav' });
    trace.add({ kind: 'prompt-cut', name: 'A', reason: 'dtmf', afterMs: 10 });
    trace.add({ kind: 'prompt-skipped', name: 'B', reason: 'dtmf' });
    trace.add({ kind: 'transfer', target: 'sip:petrov@company.com' });
    trace.add({ kind: 'hangup', by: 'transfer' });
    trace.add({ kind: 'hangup', by: 'program' });
    expect(callFacts(trace)).toEqual({
      prompts: ['A'],
      emails: [],
      transfer: 'sip:petrov@company.com',
      endedBy: 'transfer',
      legs: [],
      bridged: [],
    });
  });
});
