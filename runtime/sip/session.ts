// The Call API on a live SIP call: a Task (runtime/call/task.ts — the call modes, PlayFile and
// ReadInput rules every channel shares) whose peer is the SIP dialog. This file supplies only the
// peer: answering, rejecting and redirecting through the signalling side (CallControl), and media
// through the call's RtpStream on the wall clock.
import type { Clock } from '../call/clock';
import type { Trace } from '../call/trace';
import type { AccountInfo, CallEnvironment, ResolvedPrompt } from '../call/environment';
import { MISSING_PROMPT_MS } from '../call/environment';
import { TaskHub } from '../call/hub';
import type { Dialer } from '../call/parties';
import { bridgeChannels } from './outgoing';
import type { IncomingSignalling, Peer, PeerEvents, PeerMedia, PeerPrompt } from '../call/peer';
import { silentWav } from '../call/scripted';
import { CallTask, type MailSender } from '../call/task';
import { loadPrompt, type MediaChannel } from './media';
import type { Codec } from './sdp';

/** What the session asks of the signalling side (server.ts implements it per call). */
export interface CallControl {
  /** Sends 200 with our SDP and waits for the ACK: null, or why the call could not be answered. */
  answer(): Promise<string | null>;
  /** The program hangs up: BYE when answered, else a final error response. */
  hangup(status?: number, reason?: string): void;
  /** RedirectCall: 302 before the answer; returns what was done. */
  transfer(target: string): string;
  /** TransferCall on an answered call: REFER, then the NOTIFY of how it went; null or an error string. */
  refer(target: string): Promise<string | null>;
  readonly media: MediaChannel | null;
  readonly codec: Codec;
}

export interface SipSessionOptions {
  id: string;
  control: CallControl;
  clock: Clock;
  trace: Trace;
  environment: CallEnvironment;
  account: AccountInfo;
  remoteUri: string;
  localUri: string;
  /** The INVITE's request-URI (IncomingRequestURI); default the local URI. */
  requestUri?: string;
  /** Vars().startParameter (app{p1,p2} in the request-URI). */
  startParameter?: unknown;
  mailer?: MailSender;
  /** Places the outgoing calls of this call's tasks (the server's SIP dialer); none: StartCall fails. */
  dialer?: Dialer;
  /** The tasks this call's task shares events, queues and bridges with; default its own. */
  hub?: TaskHub;
}

/** The SIP side of a call answers with these when asked for what the local SIP runtime cannot do yet. */
export const SIP_UNSUPPORTED = {
  provision: 'early media (ProvisionCall) is not supported by the local SIP runtime yet',
  fork: 'ForkCall is not supported by the local SIP runtime yet: the call rings only here',
} as const;

export class SipCallSession extends CallTask {
  /** Every key, in order, whatever its source (for tests and the benchmark). */
  readonly digits: { digit: string; source: string; at: number }[] = [];
  private readonly ended: Promise<void>;
  private markEnded: () => void = () => undefined;
  private readonly sipPeer: SipPeer;

  constructor(o: SipSessionOptions) {
    const peer = new SipPeer(o);
    super({
      hub:
        o.hub ??
        new TaskHub({
          clock: o.clock,
          trace: o.trace,
          ...(o.environment.directory ? { directory: o.environment.directory } : {}),
          ...(o.dialer ? { dialer: o.dialer } : {}),
        }),
      id: o.id,
      account: o.account,
      environment: o.environment,
      ...(o.mailer ? { mailer: o.mailer } : {}),
      ...(o.startParameter !== undefined ? { startParameter: o.startParameter } : {}),
      peer,
      main: true,
      noMailer: o.mailer ? null : 'no mailer is configured',
    });
    this.sipPeer = peer;
    this.ended = new Promise((resolve) => (this.markEnded = resolve));
    this.trace.subscribe((e) => {
      if (e.kind === 'hangup' && e.task === undefined) this.markEnded();
    });
  }

  /** ringing (incoming, provisioned), answering (AcceptCall in progress), connected, ended. */
  get state(): 'ringing' | 'answering' | 'connected' | 'ended' {
    const mode = this.mode();
    if (mode === 'connected') return 'connected';
    if (mode === 'incoming' || mode === 'provisioned') return this.sipPeer.answering ? 'answering' : 'ringing';
    return 'ended';
  }

  // ── the signalling side ──────────────────────────────────────────────────────────────────

  /** A key from RTP (rfc4733 / inband) or SIP INFO. */
  pressDigit(raw: string, source: string): void {
    if (this.input.press(raw, source)) this.digits.push({ digit: raw.toUpperCase(), source, at: Date.now() });
  }

  /** The caller hung up (BYE, CANCEL) or the call failed (no ACK). */
  remoteEnded(): void {
    this.sipPeer.remoteEnded();
  }

  /** Resolves when the call has ended, whoever ended it. */
  whenEnded(): Promise<void> {
    return this.ended;
  }
}

/** The SIP dialog as the task's peer. */
class SipPeer implements Peer {
  readonly uri: string;
  readonly localUri: string;
  readonly authenticated = null;
  readonly name = 'caller';
  readonly media: PeerMedia;
  incoming: IncomingSignalling | null;
  answering = false;
  private events: PeerEvents | null = null;

  constructor(private readonly o: SipSessionOptions) {
    this.uri = o.remoteUri;
    this.localUri = o.localUri;
    this.media = new RtpMedia(o);
    this.incoming = {
      requestUri: o.requestUri ?? o.localUri,
      requestData: (field) => {
        const f = field.toLowerCase();
        if (f === 'call-id') return o.id.replace(/^sip-/, '');
        if (f === 'from') return o.remoteUri;
        if (f === 'to') return o.localUri;
        return null;
      },
      provision: async () => SIP_UNSUPPORTED.provision,
      answer: async () => {
        this.answering = true;
        try {
          return await o.control.answer();
        } finally {
          this.answering = false;
          this.incoming = null;
        }
      },
      reject: (code, reason) => {
        this.incoming = null;
        o.control.hangup(code, reason);
      },
      redirect: (targets) => {
        this.incoming = null;
        o.trace.add({ kind: 'log', text: o.control.transfer(targets[0] ?? '') });
      },
      fork: () => o.trace.add({ kind: 'log', text: SIP_UNSUPPORTED.fork }),
    };
  }

  attach(events: PeerEvents): void {
    this.events = events;
  }

  remoteEnded(): void {
    this.incoming = null;
    this.events?.ended();
  }

  /** A caller answered by us can be sent elsewhere by REFER (RFC 3515). */
  get canTransfer(): boolean {
    return this.incoming === null && this.o.control.media !== null;
  }

  transfer(target: string): Promise<string | null> {
    return this.o.control.refer(target);
  }

  hangup(code?: number, reason?: string): void {
    this.incoming = null;
    this.o.control.hangup(code, reason);
  }

  /** The RTP a bridge joins. */
  get channel(): MediaChannel | null {
    return this.o.control.media;
  }

  async bridge(other: Peer): Promise<string | null> {
    return bridgeChannels(this.o.control.media, other);
  }

  unbridge(): void {
    this.o.control.media?.bridge(null);
  }
}

const SAMPLES_PER_MS = 8;

/** Prompts in the call's codec over RTP; recordings of what the caller sends. */
class RtpMedia implements PeerMedia {
  constructor(private readonly o: SipSessionOptions) {}

  /** The prompt's recording in the call's codec, or why there is none. */
  async find(name: string, language: string): Promise<PeerPrompt & { audio?: Uint8Array | null }> {
    const prompt = await this.resolve(name, language);
    if (prompt.path === null)
      return { language: prompt.language, path: null, problem: prompt.problem ?? 'no file', audio: null };
    try {
      return {
        language: prompt.language,
        path: prompt.path,
        audio: await loadPrompt(prompt.path, this.o.control.codec),
      };
    } catch (err) {
      return {
        language: prompt.language,
        path: null,
        problem: err instanceof Error ? err.message : String(err),
        audio: null,
      };
    }
  }

  /** The prompt's audio (looped for msec > 0, forever for msec < 0), or silence when there is none. */
  async play(
    prompt: PeerPrompt & { audio?: Uint8Array | null },
    msec: number | undefined,
    signal: AbortSignal,
  ): Promise<void> {
    const audio = prompt.audio ?? null;
    const media = this.o.control.media;
    if (audio === null || audio.length === 0 || media === null) {
      const ms =
        msec !== undefined && msec !== 0
          ? msec < 0
            ? 2 ** 31 - 1
            : msec
          : audio === null
            ? MISSING_PROMPT_MS
            : audio.length / SAMPLES_PER_MS;
      await this.o.clock.sleep(ms, signal);
      return;
    }
    if (msec === undefined || msec === 0) {
      await media.play(audio, signal);
      return;
    }
    if (msec > 0) {
      const total = Math.round(msec * SAMPLES_PER_MS);
      const looped = new Uint8Array(total);
      for (let at = 0; at < total; at += audio.length)
        looped.set(audio.subarray(0, Math.min(audio.length, total - at)), at);
      await media.play(looped, signal);
      return;
    }
    while (!signal.aborted) {
      if ((await media.play(audio, signal)) === 'cut') return;
    }
  }

  /** SendDTMF: RFC 4733 when the peer offered telephone-event, else an in-band tone. */
  async sendDigit(digit: string): Promise<string | null> {
    const media = this.o.control.media;
    if (!media) return 'call is not connected';
    await media.sendDigits(digit);
    return null;
  }

  async record(ms: number, signal: AbortSignal): Promise<Uint8Array | null> {
    const media = this.o.control.media;
    if (!media) return null;
    const parts: Int16Array[] = [];
    const onAudio = (pcm: Int16Array) => parts.push(pcm);
    media.on('audio', onAudio);
    try {
      await this.o.clock.sleep(ms, signal);
    } finally {
      media.off('audio', onAudio);
    }
    return pcmWav(parts);
  }

  private async resolve(name: string, language: string): Promise<ResolvedPrompt> {
    try {
      return await this.o.environment.resolvePrompt(name, language);
    } catch (err) {
      return { name, language, path: null, durationMs: MISSING_PROMPT_MS, problem: String(err) };
    }
  }
}

/** Received audio as an 8 kHz 16-bit mono WAV. */
function pcmWav(parts: Int16Array[]): Uint8Array {
  const samples = parts.reduce((n, p) => n + p.length, 0);
  const wav = silentWav((samples * 1000) / 8000);
  const view = new DataView(wav.buffer, wav.byteOffset + 44);
  let at = 0;
  for (const p of parts)
    for (const s of p) {
      if (at + 2 > view.byteLength) break;
      view.setInt16(at, s, true);
      at += 2;
    }
  return wav;
}
