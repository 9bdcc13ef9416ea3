// The local SIP runtime: softphones call the loaded programs; G.711 prompts; DTMF via RFC 4733, SIP
// INFO and in-band tones. Media lives in ./media.
export { startSipServer, type SipServer, type SipServerOptions } from './server';
export { SipCall, sipUri, type SipCallOptions, type SipCallResult } from './call';
export { SipCallSession, type CallControl, type SipSessionOptions } from './session';
export { Dialog, T1, T2, type SipLogEntry } from './dialog';
export {
  parseOffer,
  buildAnswer,
  answerDirection,
  type MediaOffer,
  type OfferResult,
  type Direction,
  type AnswerOptions,
} from './sdp';
export { dtmfFromInfo } from './info';
export { routeCall, pbxOf, withinHours, type Route } from './routing';
export { checkRequest, type Refusal } from './validate';
export { freePort, type Transport } from './transport';
