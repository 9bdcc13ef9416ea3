// The other end of a task's call, as a channel provides it: the simulator's scripted caller and
// scripted phones, a SIP dialog (incoming today; outgoing legs come with engine `pbx`). A task
// (runtime/call/task.ts) has at most one peer at a time; it checks the call mode before it asks the
// peer for anything, so a peer only does what it is asked.
import type { CutReason } from './trace';
import type { FoundPrompt } from './steps';

/** What the peer tells its task. */
export interface PeerEvents {
  /** A key from the peer (RFC 4733, SIP INFO, in-band, the simulator's script). */
  key(digit: string, source: string): void;
  /** The peer hung up (BYE, CANCEL, the script's hang-up, a failed ACK). */
  ended(): void;
}

/** A prompt as the peer's media found it, ready to play. */
export interface PeerPrompt extends FoundPrompt {
  /** How long it plays once (ms), where the channel knows it. */
  durationMs?: number;
}

/** The peer's media: where prompts are found and how sound takes time. */
export interface PeerMedia {
  find(name: string, language: string): Promise<PeerPrompt>;
  /** Plays a found prompt (msec > 0: that long, looping; < 0: until cut) until done or `signal` aborts. */
  play(prompt: PeerPrompt, msec: number | undefined, signal: AbortSignal): Promise<void>;
  /** Records up to `ms` (or until `signal` aborts); returns the audio or null when nothing came. */
  record(ms: number, signal: AbortSignal): Promise<Uint8Array | null>;
  /** SendDTMF: sends one key to the peer; null or an error string. */
  sendDigit?(digit: string): Promise<string | null>;
}

/** The signalling of the pending incoming call (only an incoming peer has it). */
export interface IncomingSignalling {
  /** The INVITE's request-URI. */
  readonly requestUri: string;
  /** A field of the pending request (Call-ID, From, To …), null when there is none. */
  requestData(field: string): string | null;
  /** 180/183: with media, early media may flow. null, or why it failed. */
  provision(media: boolean): Promise<string | null>;
  /** 200 OK (and the ACK): null, or why the call could not be answered. */
  answer(): Promise<string | null>;
  /** A final error response (RejectCall). */
  reject(code: number, reason: string): void;
  /** 302 to the targets (RedirectCall). */
  redirect(targets: string[]): void;
  /**
   * ForkCall: the call also rings at the targets. The channel calls `answeredElsewhere(who)` if one
   * of them answers before the task does (the call then leaves the task).
   */
  fork(targets: string[], answeredElsewhere: (who: string) => void): void;
}

export interface Peer {
  /** RemoteURI: the peer's address. */
  readonly uri: string;
  /** LocalURI: the task's address in this dialog. */
  readonly localUri: string;
  /** The authenticated e-mail of the peer (RemoteAuthentication), or null. */
  readonly authenticated: string | null;
  /** Present while the peer is an incoming call that is not answered yet. */
  readonly incoming: IncomingSignalling | null;
  readonly media: PeerMedia;
  /** Whether the peer accepts a blind transfer (REFER). */
  readonly canTransfer: boolean;
  /** A short name for traces ("caller", "ivanov"). */
  readonly name: string;
  attach(events: PeerEvents): void;
  /** TransferCall: null once the peer went to `target`, else an error string. */
  transfer(target: string): Promise<string | null>;
  /** We end the call (BYE, or a final error response before the answer). */
  hangup(code?: number, reason?: string): void;
  /** Bridges this peer's media with another task's peer; null or an error string. */
  bridge(other: Peer): Promise<string | null>;
  /** Ends a bridge made by bridge(). */
  unbridge(): void;
  /** The program started using the call (answer, a prompt, input): a scripted caller starts acting. */
  active?(): void;
  /** The program waits for input: a scripted caller that listens goes on. */
  inputWanted?(): void;
}

/** Which waits a cut applies to: anything but a key while keys do not interrupt. */
export type CutPolicy = (reason: CutReason) => boolean;
