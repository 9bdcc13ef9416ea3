// Who may call and how many at once: an allow list of networks (sources outside it get no answer at
// all, so the server is neither an oracle nor a reflector for them), a limit of calls per source
// address besides the global one, and the busy answer (486, or 503 when configured).
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import os from 'node:os';

/** Loopback only: what a server bound to 127.0.0.1 served before there was an allow list. */
export const LOOPBACK = ['127.0.0.0/8', '::1/128'];

/**
 * `local` in an allow list: this machine — loopback and its own interface addresses (a softphone on
 * this machine bound to 0.0.0.0 may send from its LAN address, over loopback).
 */
export const LOCAL = 'local';

function expand(entry: string): string[] {
  if (entry.trim().toLowerCase() !== LOCAL) return [entry];
  const own = Object.values(os.networkInterfaces())
    .flatMap((list) => list ?? [])
    .map((a) => a.address.replace(/%.*$/, ''));
  return [...LOOPBACK, ...own];
}

export interface AdmissionOptions {
  /** CIDRs, addresses or `local`; default [`local`]. */
  allow?: readonly string[];
  maxCalls: number;
  /** Calls at once from one source address; default 10. */
  maxCallsPerSource?: number;
  busyStatus?: 486 | 503;
}

export type Admitted = { ok: true } | { ok: false; status: 486 | 503; reason: string; warning: string };

/** '10.0.0.0/8', '192.168.1.5', '::1', 'fd00::/8' → a checked network; throws a one-line reason. */
export function parseCidr(text: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } {
  const t = text.trim();
  const slash = t.indexOf('/');
  const address = (slash >= 0 ? t.slice(0, slash) : t).replace(/^\[|\]$/g, '');
  const family = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : null;
  if (!family) throw new Error(`'${text}' is not an address or network (e.g. 192.168.1.0/24, fd00::/8)`);
  const max = family === 'ipv4' ? 32 : 128;
  const prefix = slash >= 0 ? Number(t.slice(slash + 1)) : max;
  if (!/^\d{1,3}$/.test(slash >= 0 ? t.slice(slash + 1) : String(max)) || prefix > max)
    throw new Error(`'${text}': the prefix length must be 0-${max}`);
  return { address, prefix, family };
}

export class Admission {
  readonly allowList: readonly string[];
  private readonly blocks = new BlockList();
  private readonly perSource = new Map<string, number>();
  private readonly maxPerSource: number;

  constructor(private readonly o: AdmissionOptions) {
    this.allowList = o.allow ?? [LOCAL];
    for (const text of this.allowList.flatMap(expand)) {
      const n = parseCidr(text);
      this.blocks.addSubnet(n.address, n.prefix, n.family);
    }
    this.maxPerSource = o.maxCallsPerSource ?? 10;
  }

  /** May this source talk to us at all? IPv4-mapped IPv6 counts as IPv4. */
  allowed(address: string): boolean {
    const plain = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    if (isIPv4(plain)) return this.blocks.check(plain, 'ipv4');
    if (isIPv6(plain)) return this.blocks.check(plain, 'ipv6');
    return false;
  }

  /** A new call from `source` while `calls` are in progress. */
  admit(source: string, calls: number): Admitted {
    const status = this.o.busyStatus ?? 486;
    const reason = status === 503 ? 'Service Unavailable' : 'Busy Here';
    if (calls >= this.o.maxCalls) return { ok: false, status, reason, warning: `over ${this.o.maxCalls} calls` };
    if ((this.perSource.get(source) ?? 0) >= this.maxPerSource)
      return { ok: false, status, reason, warning: `over ${this.maxPerSource} calls from ${source}` };
    return { ok: true };
  }

  /** Counts a call from source until the returned function is called. */
  hold(source: string): () => void {
    this.perSource.set(source, (this.perSource.get(source) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.perSource.get(source) ?? 1) - 1;
      if (n <= 0) this.perSource.delete(source);
      else this.perSource.set(source, n);
    };
  }
}
