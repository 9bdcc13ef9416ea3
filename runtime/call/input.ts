// What a call's program reads, shared by every channel: the DTMF buffer, queued events, Disconnect
// after the hang-up, and CommuniGate's rules for what interrupts a prompt. Channels feed it (keys from
// the simulator's caller, RFC 4733, SIP INFO or in-band tones) and wait on it.
import type { Input, InputEvent } from './api';
import type { CutReason, TraceSink } from './trace';

const DTMF_SYMBOLS = /^[0-9*#A-D]$/;

interface Waiter {
  wants: (reason: CutReason) => boolean;
  controller: AbortController;
  reason: CutReason | null;
}

export class CallInput {
  private buffer = '';
  private readonly events: InputEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  private ended = false;
  /** SetInterruptOnDTMF: whether buffered keys cut prompts (CommuniGate's default: yes). */
  interruptOnDtmf = true;

  constructor(private readonly trace: TraceSink) {}

  /** A key from the caller; false when it is no DTMF symbol or the call has ended. */
  press(raw: string, source: string): boolean {
    const digit = raw.toUpperCase();
    if (this.ended || !DTMF_SYMBOLS.test(digit)) return false;
    this.buffer += digit;
    this.trace.add({ kind: 'digit', digit, source });
    this.notify('dtmf');
    return true;
  }

  /** Queues an event for ReadInput (from the caller's side or another task); `sender` is traced by name. */
  event(what: string, parameter?: unknown, sender?: InputEvent['sender'], senderName?: string): void {
    const event: InputEvent = { what };
    if (sender !== undefined) event.sender = sender;
    if (parameter !== undefined) event.parameter = parameter;
    this.events.push(event);
    const from = senderName ?? (typeof sender === 'string' ? sender : undefined);
    this.trace.add(from === undefined ? { kind: 'event', what } : { kind: 'event', what, sender: from });
    this.notify('event');
  }

  /**
   * The task's call is over: every wait ends, keys no longer arrive, and ReadInput answers Disconnect
   * (after the keys and events already queued) until the task places a new call.
   */
  hangup(): void {
    if (this.ended) return;
    this.ended = true;
    this.notify('hangup');
  }

  /** A new call (StartCall) on a task whose call had ended: keys arrive again. */
  reopen(): void {
    this.ended = false;
    this.buffer = '';
  }

  /** Whether the task's call has ended (and not been replaced by a new one). */
  get hungUp(): boolean {
    return this.ended;
  }

  /** DTMF(): the buffered keys, not removed. */
  dtmf(): string {
    return this.buffer;
  }

  clearDtmf(): void {
    this.buffer = '';
  }

  /** Why a prompt may not play now, CommuniGate's order: the call ended, keys typed ahead, an event. */
  interruption(): CutReason | null {
    if (this.ended) return 'hangup';
    if (this.buffer !== '' && this.interruptOnDtmf) return 'dtmf';
    if (this.events.length > 0) return 'event';
    return null;
  }

  /** Whether an event waits (ReadInput would return it once the keys are read). */
  hasEvents(): boolean {
    return this.events.length > 0;
  }

  /** What cuts a playing prompt: anything but a key while interruption by keys is off. */
  readonly cutsPrompt = (reason: CutReason): boolean => reason !== 'dtmf' || this.interruptOnDtmf;

  /** The next input: a buffered key, a queued event, Disconnect once the call has ended (every time). */
  take(): Input | undefined {
    if (this.buffer !== '') {
      const digit = this.buffer[0] as string;
      this.buffer = this.buffer.slice(1);
      return digit;
    }
    const event = this.events.shift();
    if (event !== undefined) return event;
    if (this.ended) return { what: 'Disconnect' };
    return undefined;
  }

  /** Runs work(signal) until it ends or something the waiter wants arrives; returns what cut it (null: nothing). */
  async until(
    wants: (reason: CutReason) => boolean,
    work: (signal: AbortSignal) => Promise<unknown>,
  ): Promise<CutReason | null> {
    if (this.ended && wants('hangup')) return 'hangup';
    const waiter: Waiter = { wants, controller: new AbortController(), reason: null };
    this.waiters.add(waiter);
    try {
      await work(waiter.controller.signal);
    } finally {
      this.waiters.delete(waiter);
    }
    return waiter.reason;
  }

  private notify(reason: CutReason): void {
    for (const waiter of this.waiters) {
      if (waiter.reason === null && waiter.wants(reason)) {
        waiter.reason = reason;
        waiter.controller.abort();
      }
    }
  }
}
