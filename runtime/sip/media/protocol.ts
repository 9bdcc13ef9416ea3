// Messages between the SIP thread and a media worker. Every message names its stream by id; the
// worker answers requests by the same ids, and sends DTMF / audio / errors as they happen.
import type { DtmfSource, RtpRemote, RtpStreamStats } from './stream';
import type { MediaOpenOptions } from './channel';
import type { Codec } from './g711';

export type ToWorker =
  | {
      t: 'open';
      id: number;
      opts: MediaOpenOptions /** A spare socket's port to use (already bound). */;
      spare?: number;
    }
  /** Keep this many bound sockets ready on this address (one message per address), so opening a stream needs no round trip. */
  | { t: 'spares'; id: 0; count: number; address: string }
  | { t: 'remote'; id: number; remote: RtpRemote | null }
  | { t: 'confirm'; id: number }
  | { t: 'play'; id: number; play: number; bytes: Uint8Array }
  | { t: 'cut'; id: number; play: number }
  | { t: 'digits'; id: number; req: number; digits: string; toneMs?: number; gapMs?: number }
  /** Forward received audio (someone records) or stop forwarding. */
  | { t: 'audio'; id: number; on: boolean }
  | { t: 'format'; id: number; codec: Codec; payloadType: number; dtmfPayloadType: number | null }
  /** Bridge this stream with another of this worker (both ways), or end its bridge (with: null). */
  | { t: 'bridge'; id: number; with: number | null }
  | { t: 'stop'; id: number };

export type FromWorker =
  | { t: 'opened'; id: number; port: number; ssrc: number }
  /** A new spare socket is bound on that address. */
  | { t: 'spare'; id: 0; port: number; address: string }
  | { t: 'open-failed'; id: number; message: string }
  | { t: 'played'; id: number; play: number; how: 'finished' | 'cut'; stats: RtpStreamStats }
  | { t: 'digits-done'; id: number; req: number }
  | { t: 'dtmf'; id: number; digit: string; source: DtmfSource }
  | { t: 'audio'; id: number; pcm: Int16Array }
  | { t: 'error'; id: number; message: string }
  | { t: 'stopped'; id: number; stats: RtpStreamStats };
