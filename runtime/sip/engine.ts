// The seam between the call layer and whatever carries SIP: a "SIP engine" receives requests,
// keeps their transactions (retransmissions, CANCEL, the 2xx-until-ACK loop) and sends in-dialog
// requests. The call layer (dialog.ts, call.ts, server.ts) sees only these types and ./message;
// our own engine is ./native, drachtio-srf can be a second one (issue 15) behind the same interface.
import type { RequestCore, ResponseExtra, SipMessage, SipRequest, SipResponse } from './message';

export type Transport = 'udp' | 'tcp';

export interface Endpoint {
  address: string;
  port: number;
}

/** The path a message took, and the way back on it. */
export interface Flow {
  transport: Transport;
  /** Our address it arrived at: never a wildcard (see docs/sip.md, "running on a LAN"). */
  local: Endpoint;
  remote: Endpoint;
  /** The TCP connection it came on (the engine's id), while open. */
  connection?: string;
}

export interface Timers {
  /** RTT estimate, 500 ms (§17.1.1.1); 64·T1 is the transaction timeout. */
  t1: number;
  /** Longest retransmit interval, 4 s. */
  t2: number;
  /** How long a message may stay in the network, 5 s. */
  t4: number;
}

export const DEFAULT_TIMERS: Timers = { t1: 500, t2: 4000, t4: 5000 };

export interface ListenPoint {
  transport: Transport;
  /** As bound (may be a wildcard). */
  address: string;
  port: number;
}

/** One new request (a retransmission never arrives here twice). */
export interface IncomingRequest {
  readonly message: SipRequest;
  readonly core: RequestCore;
  readonly flow: Flow;
  /** A provisional or final response through the request's server transaction. */
  respond(status: number, reason: string, extra?: ResponseExtra): void;
  /** INVITE only: a 2xx, resent (T1 doubling to T2) until its ACK arrives: 'acked', or 'timeout' at 64·T1. */
  accept(reason: string, extra: ResponseExtra): Promise<'acked' | 'timeout'>;
  /** INVITE only: the caller CANCELled before our final response (the engine has answered the CANCEL). */
  onCancel(handler: () => void): void;
}

/** An INVITE we sent (an outgoing leg), until its final response. */
export interface OutgoingInvite {
  /** The final response; null when none came in 64·T1 (Timer B) or the engine closed. */
  readonly final: Promise<SipResponse | null>;
  /** CANCEL (sent once a provisional response came, §9.1); the final then is usually 487. */
  cancel(): void;
  /** Records the ACK of a 2xx (sent with send()), so a retransmitted 2xx gets it again. */
  acked(ack: SipRequest): void;
}

export interface SipEngine {
  readonly name: string;
  readonly listening: readonly ListenPoint[];
  /** The SIP port (the same for every transport). */
  readonly port: number;
  /**
   * A request inside a dialog (BYE, INFO…) sent back along `flow` (the engine adds the Via);
   * resolves with its final response, or null when none came in 64·T1.
   */
  request(rq: SipRequest, flow: Flow): Promise<SipResponse | null>;
  /**
   * A new INVITE of ours (the engine adds the Via) along `flow`: provisional responses go to
   * onProvisional; a non-2xx final is acknowledged by the engine, a 2xx by the caller (send + acked).
   */
  invite(rq: SipRequest, flow: Flow, onProvisional: (rs: SipResponse) => void): OutgoingInvite;
  /** One request sent as it is, outside any transaction (the ACK of a 2xx, §13.2.2.4). */
  send(rq: SipRequest, flow: Flow): void;
  close(): Promise<void>;
}

export interface EngineOptions {
  /** The bind address; a wildcard (0.0.0.0, ::) serves every local address. */
  host: string;
  /** 0 picks a free port. */
  port: number;
  transports: Transport[];
  /** Sources for which this is false get nothing: datagrams are dropped, connections closed. */
  allow(address: string): boolean;
  timers?: Partial<Timers>;
  /** Our Via sent-by for requests sent on a flow (the advertised address when there is one). */
  sentBy(flow: Flow): Endpoint;
  onRequest(rq: IncomingRequest): void;
  /** Every message in and out, retransmissions included (the ladder view). */
  onMessage?(dir: 'in' | 'out', message: SipMessage, flow: Flow): void;
  /** Problems outside any request (a socket error). */
  onError?(text: string): void;
}

/** How a server gets its engine: ours by default (createNativeEngine), drachtio later. */
export type SipEngineFactory = (options: EngineOptions) => Promise<SipEngine>;

export function timersOf(partial: Partial<Timers> | undefined): Timers {
  return { ...DEFAULT_TIMERS, ...(partial ?? {}) };
}
