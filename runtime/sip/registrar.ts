// The registrar (RFC 3261 §10.3): softphones REGISTER as the environment's accounts, proving the
// account's password (pbx.json) by digest; each account may have several devices (bindings), each
// with its own expiry. Outgoing legs (dialer.ts) ring an account's bindings along the flow the
// REGISTER came on, so a phone behind NAT or on TCP is reached the way it reached us.
import type { PbxEnvironment } from '../../compiler/flow/pbx';
import { Directory } from '../call/directory';
import { credentialsOf, DigestAuth, parseDigest } from './digest';
import { describeFlow, newTag } from './dialog';
import type { Flow, IncomingRequest } from './engine';
import { parseSipUri } from './message';

export interface Binding {
  /** The account name, e.g. "ivanov". */
  account: string;
  /** The account's address, e.g. "ivanov@company.com". */
  aor: string;
  /** The device's Contact URI. */
  contact: string;
  /** Where its REGISTER came from: requests to the device go back this way. */
  flow: Flow;
  /** "udp 127.0.0.1:5080" */
  source: string;
  userAgent: string | null;
  callId: string;
  cseq: number;
  /** Epoch ms. */
  expiresAt: number;
}

export type RegistrationChange =
  | { kind: 'registered' | 'refreshed' | 'unregistered' | 'expired'; binding: Binding }
  /** A REGISTER that proved the wrong password, named no account, or was otherwise refused (not a 401). */
  | { kind: 'refused'; user: string; source: string; status: number; why: string };

export interface RegistrarOptions {
  pbx: PbxEnvironment;
  /** Shortest binding accepted (423 below it); default 60 s. Tests shorten it. */
  minExpires?: number;
  /** Longest binding; a longer request is shortened to it. Default 3600 s. */
  maxExpires?: number;
  now?: () => number;
  onChange?: (change: RegistrationChange) => void;
}

/** The Registrar seam of ServerContext (dispatch.ts hands it every REGISTER). */
export interface Registrar {
  handle(rq: IncomingRequest): void;
}

export class SipRegistrar implements Registrar {
  private readonly directory: Directory;
  private readonly auth: DigestAuth;
  private readonly now: () => number;
  private readonly byAccount = new Map<string, Map<string, { binding: Binding; timer: NodeJS.Timeout }>>();
  private readonly listeners: ((change: RegistrationChange) => void)[] = [];

  constructor(private readonly o: RegistrarOptions) {
    this.directory = new Directory(o.pbx);
    this.now = o.now ?? Date.now;
    this.auth = new DigestAuth(o.pbx.domain, this.now);
    if (o.onChange) this.listeners.push(o.onChange);
  }

  /** Accounts a phone can register as (those with a password). */
  get accounts(): string[] {
    return this.o.pbx.accounts.filter((a) => a.password).map((a) => a.name);
  }

  onChange(listener: (change: RegistrationChange) => void): () => void {
    this.listeners.push(listener);
    return () => this.listeners.splice(this.listeners.indexOf(listener) >>> 0, 1);
  }

  /** The live bindings, of one account (a name, alias or address) or of all. */
  bindings(account?: string): Binding[] {
    if (account === undefined)
      return [...this.byAccount.values()].flatMap((m) => [...m.values()].map((b) => b.binding));
    const found = this.directory.findAccount(account);
    const mine = found ? this.byAccount.get(found.name.toLowerCase()) : undefined;
    return mine ? [...mine.values()].map((b) => b.binding) : [];
  }

  handle(rq: IncomingRequest): void {
    const user = userOf(rq.core.to.uri);
    const account = user === null ? undefined : this.directory.findAccount(user);
    const refuse = (status: number, reason: string, why: string, headers: [string, string][] = []) => {
      this.emit({ kind: 'refused', user: user ?? '', source: describeFlow(rq.flow), status, why });
      rq.respond(status, reason, { toTag: newTag(), headers, warning: why });
    };
    if (!account) return refuse(404, 'Not Found', `no account '${user ?? ''}' in ${this.o.pbx.domain}`);
    if (!account.password)
      return refuse(403, 'Forbidden', `${account.name} has no password in the environment: it cannot register`);
    const header = rq.message.headers.get('authorization');
    const creds = header ? credentialsOf(parseDigest(header) ?? {}) : null;
    if (!creds) return this.challenge(rq, false);
    if (
      creds.username.toLowerCase() !== account.name.toLowerCase() &&
      this.directory.findAccount(creds.username) !== account
    )
      return refuse(403, 'Forbidden', `credentials of '${creds.username}' do not register ${account.name}`);
    const verdict = this.auth.verify(creds, 'REGISTER', account.password);
    if (verdict === 'stale') return this.challenge(rq, true);
    if (verdict === 'bad') return this.challenge(rq, false);
    if (verdict === 'wrong') return refuse(403, 'Forbidden', `wrong password for ${account.name}`);
    const problem = this.update(rq, account.name, this.directory.emailOf(account));
    if (problem) refuse(problem.status, problem.reason, problem.why, problem.headers);
  }

  close(): void {
    for (const m of this.byAccount.values()) for (const b of m.values()) clearTimeout(b.timer);
    this.byAccount.clear();
  }

  private challenge(rq: IncomingRequest, stale: boolean): void {
    rq.respond(401, 'Unauthorized', { toTag: newTag(), headers: [['WWW-Authenticate', this.auth.challenge(stale)]] });
  }

  /** Binds the REGISTER's contacts and answers 200; or says why it cannot. */
  private update(
    rq: IncomingRequest,
    account: string,
    aor: string,
  ): { status: number; reason: string; why: string; headers?: [string, string][] } | null {
    const key = account.toLowerCase();
    const mine = this.byAccount.get(key) ?? new Map();
    this.byAccount.set(key, mine);
    const expiresHeader = rq.message.headers.get('expires');
    const fallback = expiresHeader !== undefined && /^\d+$/.test(expiresHeader.trim()) ? Number(expiresHeader) : 3600;
    const min = this.o.minExpires ?? 60;
    const max = this.o.maxExpires ?? 3600;
    const cseq = rq.core.cseq.seq;
    if ((rq.message.headers.get('contact') ?? '').trim() === '*') {
      if (fallback !== 0 || rq.core.contact.length > 0)
        return { status: 400, reason: 'Bad Request', why: 'Contact: * needs Expires: 0' };
      for (const [uri, b] of [...mine]) this.remove(mine, uri, b, 'unregistered');
      this.ok(rq, mine);
      return null;
    }
    const wanted = rq.core.contact.map((c) => {
      const p = c.params.get('expires');
      return { uri: c.uri, expires: typeof p === 'string' && /^\d+$/.test(p) ? Number(p) : fallback };
    });
    const tooBrief = wanted.find((w) => w.expires > 0 && w.expires < min);
    if (tooBrief)
      return {
        status: 423,
        reason: 'Interval Too Brief',
        why: `${tooBrief.expires} s is below ${min} s`,
        headers: [['Min-Expires', String(min)]],
      };
    for (const w of wanted) {
      const old = mine.get(w.uri);
      // §10.3 step 7: an older request of the same registration must not undo a newer one.
      if (old && old.binding.callId === rq.core.callId && cseq <= old.binding.cseq) continue;
      if (w.expires === 0) {
        if (old) this.remove(mine, w.uri, old, 'unregistered');
        continue;
      }
      const seconds = Math.min(w.expires, max);
      const binding: Binding = {
        account,
        aor,
        contact: w.uri,
        flow: rq.flow,
        source: describeFlow(rq.flow),
        userAgent: rq.message.headers.get('user-agent') ?? null,
        callId: rq.core.callId,
        cseq,
        expiresAt: this.now() + seconds * 1000,
      };
      if (old) clearTimeout(old.timer);
      const timer = setTimeout(() => {
        const live = mine.get(w.uri);
        if (live?.binding === binding) this.remove(mine, w.uri, live, 'expired');
      }, seconds * 1000);
      timer.unref();
      mine.set(w.uri, { binding, timer });
      this.emit({ kind: old ? 'refreshed' : 'registered', binding });
    }
    this.ok(rq, mine);
    return null;
  }

  private ok(rq: IncomingRequest, mine: Map<string, { binding: Binding }>): void {
    const now = this.now();
    const headers: [string, string][] = [...mine.values()].map(({ binding }) => [
      'Contact',
      `<${binding.contact}>;expires=${Math.max(0, Math.round((binding.expiresAt - now) / 1000))}`,
    ]);
    headers.push(['Date', new Date(now).toUTCString()]);
    rq.respond(200, 'OK', { toTag: newTag(), headers });
  }

  private remove(
    mine: Map<string, { binding: Binding; timer: NodeJS.Timeout }>,
    uri: string,
    b: { binding: Binding; timer: NodeJS.Timeout },
    kind: 'unregistered' | 'expired',
  ): void {
    clearTimeout(b.timer);
    mine.delete(uri);
    this.emit({ kind, binding: b.binding });
  }

  private emit(change: RegistrationChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // a listener's failure is not the phone's problem
      }
    }
  }
}

/** The user part of a To URI (escapes decoded once), or null. */
function userOf(uri: string): string | null {
  return parseSipUri(uri)?.user ?? null;
}
