// The caps on live test calls: at most 8 at once per socket (one designer window) and 32 on the
// server. A slot is taken synchronously when call.start arrives, before the flow is compiled (which
// awaits), so no burst of starts can slip past the count; it is given back when the call ends or
// cannot start.

export const MAX_CALLS_PER_SOCKET = 8;
export const MAX_CALLS = 32;

export type CapHit = { cap: 'socket' | 'server'; error: string };

/** One reserved call slot; release() gives it back (once, however often it is called). */
export interface Slot {
  release(): void;
}

/** The slots of one socket. */
export class SocketSlots {
  used = 0;
}

export class CallSlots {
  private used = 0;

  constructor(
    readonly perSocket = MAX_CALLS_PER_SOCKET,
    readonly total = MAX_CALLS,
  ) {}

  get inUse(): number {
    return this.used;
  }

  /** A slot for one more call of `socket`, or which cap it would pass (the message names it). */
  reserve(socket: SocketSlots): Slot | CapHit {
    if (socket.used >= this.perSocket)
      return {
        cap: 'socket',
        error: `too many test calls at once: at most ${this.perSocket} per designer window; hang one up first`,
      };
    if (this.used >= this.total)
      return {
        cap: 'server',
        error: `too many test calls at once: at most ${this.total} on this server (all windows together); hang one up first`,
      };
    socket.used++;
    this.used++;
    let held = true;
    return {
      release: () => {
        if (!held) return;
        held = false;
        socket.used--;
        this.used--;
      },
    };
  }
}

export function isCapHit(x: Slot | CapHit): x is CapHit {
  return 'cap' in x;
}
