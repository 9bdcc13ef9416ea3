// Media for the SIP runtime: G.711, prompts, RTP, DTMF (RFC 4733 and in-band) and 20 ms pacing.
export {
  codecForPayloadType,
  decodeG711,
  decodePcma,
  decodePcmu,
  encodeG711,
  encodePcma,
  encodePcmu,
  FRAME_SAMPLES,
  PAYLOAD_TYPE,
  SAMPLE_RATE,
  SILENCE_BYTE,
  silenceFrame,
} from './g711';
export type { Codec } from './g711';
export { loadPrompt, PromptCache, PromptError, promptCache, resample, wavToPcm8k } from './prompts';
export type { PromptCacheOptions } from './prompts';
export { encodeRtp, parseRtp } from './rtp';
export type { RtpHeaderExtension, RtpPacket } from './rtp';
export {
  digitToEvent,
  encodeTelephoneEvent,
  eventToDigit,
  parseTelephoneEvent,
  TelephoneEventReceiver,
  telephoneEventPackets,
} from './rfc4733';
export type { TelephoneEvent } from './rfc4733';
export { DtmfDetector } from './goertzel';
export type { DtmfDetectorOptions } from './goertzel';
export { DTMF_COLUMNS, DTMF_KEYS, DTMF_ROWS, dtmfFrequencies, synthesizeDtmf } from './tones';
export type { ToneOptions } from './tones';
export { MediaClock } from './pacer';
export type { MediaClockClient, MediaClockOptions, MediaClockStats } from './pacer';
export { RtpStream } from './stream';
export type { DtmfSource, RtpRemote, RtpStreamEvents, RtpStreamOptions, RtpStreamStats } from './stream';
export { GapMeter } from './stats';
export type { GapStats } from './stats';
export type { MediaChannel, MediaOpener, MediaOpenOptions } from './channel';
export { MediaWorkerPool, RemoteRtpStream } from './remote';
