// RFC 3261 §17 transactions, the user agent server's share plus non-INVITE clients: a retransmitted
// request gets the last response again instead of reaching the call layer twice; a non-2xx final to
// an INVITE is resent (Timer G) until its ACK (or Timer H); a 2xx is resent until the dialog's ACK
// (RFC 6026's "Accepted" state) or 64·T1; CANCEL is matched to its INVITE by branch (§9.2); our BYE
// and INFO are resent (Timer E) until answered or given up (Timer F).
import { randomBytes } from 'node:crypto';
import type { Flow, Timers } from '../engine';
import type { RequestCore, SipRequest, SipResponse } from '../message';
import { parseCSeq, parseVia, splitList } from '../message';
import { InviteClient } from './inviteClient';

const COOKIE = 'z9hG4bK';

export interface TransactionOutput {
  sendResponse(rs: SipResponse, flow: Flow): void;
  sendRequest(rq: SipRequest, flow: Flow): void;
}

type ServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export class ServerTransaction {
  state: ServerState = 'proceeding';
  last: SipResponse | null = null;
  private cancelHandlers: (() => void)[] = [];
  cancelled = false;
  readonly timers: NodeJS.Timeout[] = [];

  constructor(
    readonly key: string,
    readonly request: SipRequest,
    readonly core: RequestCore,
    readonly flow: Flow,
  ) {}

  get isInvite(): boolean {
    return this.core.method === 'INVITE';
  }

  onCancel(handler: () => void): void {
    if (this.cancelled) handler();
    else this.cancelHandlers.push(handler);
  }

  fireCancel(): void {
    this.cancelled = true;
    for (const h of this.cancelHandlers.splice(0)) h();
  }

  clearTimers(): void {
    for (const t of this.timers.splice(0)) clearTimeout(t);
  }
}

interface PendingAck {
  tx: ServerTransaction;
  resolve(how: 'acked' | 'timeout'): void;
}

interface ClientTransaction {
  resolve(rs: SipResponse | null): void;
  timers: NodeJS.Timeout[];
  proceeding: boolean;
}

export type Received = { kind: 'new'; tx: ServerTransaction } | { kind: 'absorbed'; why: string };

export class Transactions {
  private readonly server = new Map<string, ServerTransaction>();
  private readonly acks = new Map<string, PendingAck>();
  private readonly clients = new Map<string, ClientTransaction>();
  private readonly invites = new Map<string, InviteClient>();

  constructor(
    private readonly timers: Timers,
    private readonly out: TransactionOutput,
  ) {}

  /** A checked request from the network. */
  receive(rq: SipRequest, core: RequestCore, flow: Flow): Received {
    if (core.method === 'ACK') return this.ack(core, flow);
    const key = serverKey(core, core.method);
    const existing = this.server.get(key);
    if (existing) {
      if (existing.last && existing.state !== 'confirmed') this.out.sendResponse(existing.last, existing.flow);
      return { kind: 'absorbed', why: 'retransmission' };
    }
    const tx = new ServerTransaction(key, rq, core, flow);
    this.server.set(key, tx);
    if (core.method === 'CANCEL') {
      this.cancel(tx);
      return { kind: 'absorbed', why: 'CANCEL' };
    }
    // A non-INVITE request the call layer never answers must not stay forever.
    if (!tx.isInvite) this.after(tx, 64 * this.timers.t1 + this.timers.t4, () => this.forget(tx));
    return { kind: 'new', tx };
  }

  /** 100 Trying for an INVITE the call layer has not answered yet (§17.2.1). */
  trying(tx: ServerTransaction): void {
    if (tx.isInvite && tx.state === 'proceeding' && !tx.last) this.respond(tx, trying(tx.request));
  }

  /** A provisional or final response (not a 2xx to an INVITE: see accept). */
  respond(tx: ServerTransaction, rs: SipResponse): void {
    if (tx.state !== 'proceeding') return;
    tx.last = rs;
    this.out.sendResponse(rs, tx.flow);
    if (rs.status < 200) return;
    tx.clearTimers();
    tx.state = 'completed';
    const reliable = tx.flow.transport !== 'udp';
    if (!tx.isInvite) {
      this.after(tx, reliable ? 0 : 64 * this.timers.t1, () => this.forget(tx)); // Timer J
      return;
    }
    this.resend(tx, () => tx.state === 'completed'); // Timer G
    this.after(tx, 64 * this.timers.t1, () => this.forget(tx)); // Timer H: no ACK came
  }

  /** A 2xx to an INVITE: resent until the dialog's ACK, or 'timeout' at 64·T1. */
  accept(tx: ServerTransaction, rs: SipResponse, toTag: string): Promise<'acked' | 'timeout'> {
    if (tx.state !== 'proceeding') return Promise.resolve('timeout');
    tx.last = rs;
    tx.clearTimers();
    tx.state = 'accepted';
    this.out.sendResponse(rs, tx.flow);
    return new Promise((resolve) => {
      const ackKey = `${tx.core.callId}|${tx.core.cseq.seq}|${toTag}`;
      const done = (how: 'acked' | 'timeout') => {
        if (this.acks.get(ackKey)?.tx !== tx) return;
        this.acks.delete(ackKey);
        tx.clearTimers();
        // Keep absorbing INVITE retransmissions a little longer, then forget the transaction.
        tx.state = 'confirmed';
        this.after(tx, tx.flow.transport === 'udp' ? this.timers.t4 : 0, () => this.forget(tx));
        resolve(how);
      };
      this.acks.set(ackKey, { tx, resolve: done });
      this.resend(tx, () => tx.state === 'accepted');
      this.after(tx, 64 * this.timers.t1, () => done('timeout'));
    });
  }

  /** A non-INVITE request of ours (the Via is added here): the final response, or null (Timer F). */
  request(rq: SipRequest, flow: Flow, sentBy: string): Promise<SipResponse | null> {
    const branch = `${COOKIE}${randomBytes(8).toString('hex')}`;
    rq.headers.fields.unshift({
      key: 'via',
      value: `SIP/2.0/${flow.transport.toUpperCase()} ${sentBy};branch=${branch};rport`,
    });
    const key = `${branch}|${rq.method}`;
    return new Promise((resolve) => {
      const c: ClientTransaction = { resolve: () => undefined, timers: [], proceeding: false };
      c.resolve = (rs) => {
        for (const t of c.timers) clearTimeout(t);
        this.clients.delete(key);
        resolve(rs);
      };
      this.clients.set(key, c);
      this.out.sendRequest(rq, flow);
      if (flow.transport === 'udp') {
        // Timer E: T1 doubling to T2; at T2 once a provisional response came.
        const again = (interval: number) => {
          c.timers.push(
            setTimeout(() => {
              this.out.sendRequest(rq, flow);
              again(c.proceeding ? this.timers.t2 : Math.min(interval * 2, this.timers.t2));
            }, interval),
          );
        };
        again(this.timers.t1);
      }
      c.timers.push(setTimeout(() => c.resolve(null), 64 * this.timers.t1)); // Timer F
    });
  }

  /** An INVITE of ours (the Via is added here): see inviteClient.ts. */
  invite(rq: SipRequest, flow: Flow, sentBy: string, onProvisional: (rs: SipResponse) => void): InviteClient {
    const branch = `${COOKIE}${randomBytes(8).toString('hex')}`;
    rq.headers.fields.unshift({
      key: 'via',
      value: `SIP/2.0/${flow.transport.toUpperCase()} ${sentBy};branch=${branch};rport`,
    });
    const key = `${branch}|INVITE`;
    const client = new InviteClient(rq, flow, this.timers, this.out, onProvisional, () => {
      if (this.invites.get(key) === client) this.invites.delete(key);
    });
    this.invites.set(key, client);
    return client;
  }

  /** A response from the network; false when it belongs to no transaction of ours. */
  response(rs: SipResponse): boolean {
    const top = splitList(rs.headers.get('via') ?? '')[0];
    const via = top ? parseVia(top) : null;
    const cseq = parseCSeq(rs.headers.get('cseq') ?? '');
    const branch = via?.params.get('branch');
    if (!branch || !cseq) return false;
    const invite = cseq.method === 'INVITE' ? this.invites.get(`${branch}|INVITE`) : undefined;
    if (invite) {
      invite.response(rs);
      return true;
    }
    const c = this.clients.get(`${branch}|${cseq.method}`);
    if (!c) return false;
    if (rs.status < 200) c.proceeding = true;
    else c.resolve(rs);
    return true;
  }

  close(): void {
    for (const tx of this.server.values()) tx.clearTimers();
    for (const a of [...this.acks.values()]) a.resolve('timeout');
    for (const c of [...this.clients.values()]) c.resolve(null);
    for (const c of [...this.invites.values()]) c.close();
    this.invites.clear();
    this.server.clear();
  }

  /** Server transactions alive (for tests of the tables' clean-up). */
  get size(): number {
    return this.server.size;
  }

  private ack(core: RequestCore, _flow: Flow): Received {
    const tx = this.server.get(serverKey(core, 'INVITE'));
    if (tx && tx.state === 'completed') {
      tx.clearTimers();
      tx.state = 'confirmed';
      this.after(tx, tx.flow.transport === 'udp' ? this.timers.t4 : 0, () => this.forget(tx)); // Timer I
      return { kind: 'absorbed', why: 'ACK for a non-2xx' };
    }
    const pending = this.acks.get(`${core.callId}|${core.cseq.seq}|${core.toTag ?? ''}`);
    if (pending) {
      pending.resolve('acked');
      return { kind: 'absorbed', why: 'ACK for our 2xx' };
    }
    return { kind: 'absorbed', why: 'ACK for nothing pending' };
  }

  /** §9.2: 481 when no INVITE matches; else 200, and the INVITE learns of it while unanswered. */
  private cancel(tx: ServerTransaction): void {
    const invite = this.server.get(serverKey(tx.core, 'INVITE'));
    if (!invite) {
      this.respond(tx, plain(tx.request, 481, 'Call/Transaction Does Not Exist'));
      return;
    }
    this.respond(tx, plain(tx.request, 200, 'OK', invite.last?.headers.get('to')));
    if (invite.state === 'proceeding') invite.fireCancel();
  }

  private resend(tx: ServerTransaction, still: () => boolean): void {
    if (tx.flow.transport !== 'udp') return;
    const again = (interval: number) => {
      tx.timers.push(
        setTimeout(() => {
          if (!still() || !tx.last) return;
          this.out.sendResponse(tx.last, tx.flow);
          again(Math.min(interval * 2, this.timers.t2));
        }, interval),
      );
    };
    again(this.timers.t1);
  }

  private after(tx: ServerTransaction, ms: number, f: () => void): void {
    tx.timers.push(setTimeout(f, ms));
  }

  private forget(tx: ServerTransaction): void {
    tx.clearTimers();
    tx.state = 'terminated';
    if (this.server.get(tx.key) === tx) this.server.delete(tx.key);
  }
}

/** §17.2.3: the branch (with the magic cookie) plus sent-by and method; RFC 2543 peers by their fields. */
function serverKey(core: RequestCore, method: string): string {
  const top = core.via[0]!;
  const sentBy = `${top.host}:${top.port ?? ''}`;
  const branch = top.params.get('branch');
  if (branch?.startsWith(COOKIE)) return `${branch}|${sentBy}|${method}`;
  return `2543|${core.callId}|${core.cseq.seq}|${method}|${core.fromTag ?? ''}|${sentBy}|${branch ?? ''}`;
}

function trying(rq: SipRequest): SipResponse {
  return plain(rq, 100, 'Trying');
}

/** A response with only the copied fields (the To as given: the INVITE's tagged To for a CANCEL's 200). */
function plain(rq: SipRequest, status: number, reason: string, to?: string): SipResponse {
  const headers = rq.headers.clone();
  headers.fields.splice(
    0,
    headers.fields.length,
    ...headers.fields.filter((f) => ['via', 'from', 'to', 'call-id', 'cseq'].includes(f.key)),
  );
  if (to !== undefined) headers.set('to', to);
  return { kind: 'response', status, reason, version: '2.0', headers, body: Buffer.alloc(0) };
}
