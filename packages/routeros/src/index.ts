export {
  type ClientOptions,
  type CommandOptions,
  type CommandResult,
  DEFAULT_MAX_REPLY_BYTES,
  DEFAULT_MAX_REPLY_ROWS,
  RouterOSClient,
  type StreamOptions,
} from './client.js';
export {
  encodeLength,
  encodeSentence,
  encodeWord,
  lengthPrefixSize,
  MAX_WORD_LENGTH,
  SentenceDecoder,
  type SentenceDecoderOptions,
  TextSentenceDecoder,
  writeLength,
} from './codec.js';
export { decodeWord, encodedLength, encodeText, fixWin1252, hasC1, type WordEncoding, writeText } from './encoding.js';
export {
  AuthError,
  ClosedError,
  ConnectError,
  FatalError,
  ProtocolError,
  ReplyLimitError,
  RestError,
  RouterOSError,
  RouterOSProtocolError,
  TimeoutError,
  TlsError,
  TrapError,
} from './errors.js';
export { DEFAULT_MAX_SENTENCE_BYTES, DEFAULT_MAX_WORD_BYTES, FrameParser } from './frame.js';
export { challengeResponse, type LoginStyle, login } from './login.js';
export { type Query, q, queryWords } from './query.js';
export {
  fatalReason,
  findTag,
  parseReply,
  parseReplyBytes,
  REPLY_WORD_OVERHEAD,
  type Reply,
  type ReplyHandler,
  type ReplyType,
  type Row,
  replySize,
  trapInfo,
} from './reply.js';
export { ReplyDecoder } from './reply-decoder.js';
export { type RestClientOptions, type RestValue, RouterOSRestClient } from './rest.js';
export { CommandStream } from './stream.js';
export {
  ADH_CIPHERS,
  certFingerprint,
  normalizeFingerprint,
  openTransport,
  type TlsMode,
  type TransportInfo,
  type TransportKind,
  type TransportOptions,
} from './transport.js';
export {
  parseBitrate,
  parseBool,
  parseCounter,
  parseCounterPair,
  parseDate,
  parseDateIso,
  parseDuration,
  parseIntValue,
  parseList,
  parseSignal,
  parseStrengthAtRates,
  type SignalAtRate,
} from './values.js';
export { type Args, type ArgValue, commandWords, normalizePath, type WordOptions } from './words.js';
