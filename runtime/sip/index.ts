// The local SIP runtime: softphones call the loaded programs; G.711 prompts; DTMF via RFC 4733, SIP
// INFO and in-band tones. Media lives in ./media, SIP messages in ./message, our SIP engine in ./native
// behind the seam in ./engine.
export { startSipServer, type SipServer, type SipServerOptions } from './server';
export { SipCall, sipUri, EARLY_MEDIA_PACKETS, type SipCallOptions, type SipCallResult } from './call';
export { SipCallSession, type CallControl, type SipSessionOptions } from './session';
export { Dialog, T1, T2, describeFlow, type SipLogEntry } from './dialog';
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
export { routeCall, pbxOf, withinHours, type Route, type CallTarget } from './routing';
export { Admission, LOOPBACK, LOCAL, parseCidr, type AdmissionOptions } from './admission';
export { Addresses, parseAdvertise, type Advertised } from './addresses';
export {
  SipRegistrar,
  type Binding,
  type RegistrationChange,
  type RegistrarOptions,
  type Registrar,
} from './registrar';
export { DigestAuth, digestResponse, parseDigest } from './digest';
export {
  DEFAULT_TIMERS,
  type Endpoint,
  type EngineOptions,
  type Flow,
  type IncomingRequest,
  type ListenPoint,
  type SipEngine,
  type SipEngineFactory,
  type Timers,
  type Transport,
} from './engine';
export { createNativeEngine, freePort, interfaceAddresses } from './native';
export * as sipMessage from './message';
export { hostPort as formatHostPort } from './message';
