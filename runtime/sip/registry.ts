// The calls a server knows: those in progress, and for 64·T1 after their end those that ended (a
// late BYE or INFO retransmission still finds its dialog and gets a proper answer).
import type { SipCall } from './call';

export class CallRegistry {
  readonly live = new Map<string, SipCall>();
  private readonly recent = new Map<string, { call: SipCall; timer: NodeJS.Timeout }>();
  readonly counters = { invites: 0, rejected: 0, answered: 0, ended: 0 };

  constructor(private readonly lingerMs: number) {}

  find(callId: string): SipCall | undefined {
    return this.live.get(callId) ?? this.recent.get(callId)?.call;
  }

  add(call: SipCall): void {
    this.live.set(call.callId, call);
  }

  /** The call is over: it stays findable for a while. */
  ended(call: SipCall): void {
    if (this.live.get(call.callId) !== call) return;
    this.live.delete(call.callId);
    this.counters.ended++;
    const timer = setTimeout(() => this.recent.delete(call.callId), this.lingerMs);
    timer.unref();
    this.recent.set(call.callId, { call, timer });
  }

  /** Forgets a call that never started (its media could not be opened). */
  drop(call: SipCall): void {
    if (this.live.get(call.callId) === call) this.live.delete(call.callId);
  }

  get size(): number {
    return this.live.size;
  }

  /** Every call, live or recent (closing stops all their media). */
  all(): SipCall[] {
    return [...this.live.values(), ...[...this.recent.values()].map((r) => r.call)];
  }

  clear(): void {
    for (const r of this.recent.values()) clearTimeout(r.timer);
    this.recent.clear();
  }
}
