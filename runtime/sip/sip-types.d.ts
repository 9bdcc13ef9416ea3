// Types for sip@0.0.6 (pinned; the package ships none). Only what runtime/sip uses, as the library
// actually behaves: headers it parses are objects, the rest stay strings; a message that fails its
// checks (no Via, Call-ID, From, To or CSeq) never reaches the callback.
declare module 'sip' {
  export interface SipUri {
    schema: string;
    user?: string;
    password?: string;
    host: string;
    port?: number;
    params: Record<string, string | null>;
    headers: Record<string, string>;
  }

  export interface SipAor {
    name?: string;
    uri: string | SipUri;
    params: Record<string, string | null>;
  }

  export interface SipVia {
    version?: string;
    protocol: string;
    host: string;
    port?: number;
    params: Record<string, string | null | number>;
  }

  export interface SipCSeq {
    seq: number;
    method: string;
  }

  export interface SipHeaders {
    via: SipVia[];
    to: SipAor;
    from: SipAor;
    'call-id': string;
    cseq: SipCSeq;
    contact?: SipAor[] | '*';
    route?: SipAor[];
    'record-route'?: SipAor[];
    'content-length'?: number;
    'content-type'?: string;
    'max-forwards'?: string | number;
    [name: string]: unknown;
  }

  export interface SipMessage {
    method?: string;
    uri?: string | SipUri;
    version?: string;
    status?: number;
    reason?: string;
    headers: SipHeaders;
    content?: string;
  }

  export interface SipRequest extends SipMessage {
    method: string;
    uri: string;
  }

  export interface SipResponse extends SipMessage {
    status: number;
    reason: string;
  }

  /** Where a message came from / goes to: the transport flow. */
  export interface SipRemote {
    protocol: string;
    address: string;
    port: number;
    local?: { address: string; port: number };
  }

  export interface SipLogger {
    send?(message: SipMessage, target: SipRemote): void;
    recv?(message: SipMessage, remote: SipRemote): void;
    error?(error: unknown): void;
  }

  export interface SipOptions {
    address?: string;
    port?: number;
    publicAddress?: string;
    hostname?: string;
    udp?: boolean;
    tcp?: boolean;
    tls?: unknown;
    ws_port?: number;
    rport?: boolean;
    logger?: SipLogger;
    maxBytesHeaders?: number;
    maxContentLength?: number;
  }

  export interface SipStack {
    /** A response goes through its server transaction; a request starts a client transaction. */
    send(message: SipMessage, callback?: (response: SipResponse) => void): void;
    encodeFlowUri(flow: SipRemote): SipUri;
    decodeFlowUri(uri: string | SipUri): SipRemote | undefined;
    hostname(): string;
    destroy(): void;
  }

  export type SipHandler = (request: SipRequest, remote: SipRemote) => void;

  /** An independent stack (sip.start is the same but a process-wide singleton). */
  export function create(options: SipOptions, callback: SipHandler): SipStack;
  export function makeResponse(
    request: SipRequest,
    status: number,
    reason?: string,
    extension?: { headers?: Record<string, unknown>; content?: string },
  ): SipResponse;
  export function parse(data: string | Buffer): SipMessage | undefined;
  export function stringify(message: SipMessage): string;
  export function parseUri(uri: string | SipUri): SipUri | undefined;
  export function stringifyUri(uri: string | SipUri): string;
  export function copyMessage(message: SipMessage, deep?: boolean): SipMessage;
  export function generateBranch(): string;

  const sip: {
    create: typeof create;
    makeResponse: typeof makeResponse;
    parse: typeof parse;
    stringify: typeof stringify;
    parseUri: typeof parseUri;
    stringifyUri: typeof stringifyUri;
    copyMessage: typeof copyMessage;
    generateBranch: typeof generateBranch;
  };
  export default sip;
}
