// What a call needs from its media, whichever thread the RTP runs on: RtpStream (this thread) and
// RemoteRtpStream (a media worker's RtpStream, driven by messages) both provide it.
import type { EventEmitter } from 'node:events';
import type { Codec } from './g711';
import type { RtpRemote, RtpStreamEvents, RtpStreamOptions, RtpStreamStats } from './stream';

export interface MediaChannel extends EventEmitter<RtpStreamEvents> {
  readonly codec: Codec;
  readonly payloadType: number;
  readonly dtmfPayloadType: number | null;
  /** Resolves once the socket is bound (localPort is known). */
  readonly ready: Promise<void>;
  readonly localPort: number;
  remote: RtpRemote | null;
  readonly isPlaying: boolean;
  /** The answer was acknowledged: lift the early-media bound (peer streams). */
  confirm(): void;
  play(g711: Uint8Array, signal?: AbortSignal): Promise<'finished' | 'cut'>;
  sendDigits(digits: string, opts?: { toneMs?: number; gapMs?: number }): Promise<void>;
  stop(): void;
  stats(): RtpStreamStats;
  /**
   * Joins this channel's media with another's (both ways; null ends it): null, or why not (the two
   * must run on the same thread — open the second with MediaOpener's `near`).
   */
  bridge(other: MediaChannel | null): string | null;
  /** The answer to our offer chose this format (outgoing legs). */
  setFormat(codec: Codec, payloadType: number, dtmfPayloadType: number | null): void;
}

/** The part of RtpStreamOptions that crosses to a worker (no socket, clock or recording array). */
export type MediaOpenOptions = Pick<
  RtpStreamOptions,
  'bindAddress' | 'remote' | 'codec' | 'payloadType' | 'dtmfPayloadType' | 'ssrc' | 'inbandDtmf' | 'peer'
>;

/** Opens a bound MediaChannel; how a SIP call gets its media. */
export type MediaOpener = (opts: MediaOpenOptions, near?: MediaChannel) => Promise<MediaChannel>;
