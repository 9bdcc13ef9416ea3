// SIP messages without an engine: parse, check, build and serialize. Both SIP engines (our own in
// ../native, drachtio later) hand the call layer these types.
export {
  parseSipUri,
  parseHostPort,
  uriScheme,
  unescapeText,
  escapeUser,
  formatHost,
  hostPort,
  type SipUri,
} from './uri';
export {
  parseNameAddr,
  parseVia,
  parseCSeq,
  parseParams,
  splitList,
  quote,
  readQuoted,
  isToken,
  formatNameAddr,
  type NameAddr,
  type Via,
  type CSeq,
  type Params,
} from './fields';
export {
  Headers,
  headerKey,
  headerSpelling,
  newRequest,
  newResponse,
  firstLine,
  serialize,
  messageText,
  type HeaderField,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message';
export { parseDatagram, parseStream, MAX_BODY_BYTES, MAX_HEAD_BYTES, type Parsed, type StreamResult } from './parse';
export { checkRequest, SUPPORTED, type Checked, type Refusal, type RequestCore } from './validate';
export { makeResponse, stampVia, warningValue, type ResponseExtra } from './response';
