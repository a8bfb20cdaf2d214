export {
  encodeLength,
  encodeSentence,
  encodeWord,
  lengthPrefixSize,
  MAX_WORD_LENGTH,
  SentenceDecoder,
  type SentenceDecoderOptions,
  writeLength,
} from './codec.js';
export { decodeWord, encodedLength, encodeText, type WordEncoding, writeText } from './encoding.js';
export {
  AuthError,
  ClosedError,
  ConnectError,
  FatalError,
  ProtocolError,
  RouterOSError,
  RouterOSProtocolError,
  TimeoutError,
  TlsError,
  TrapError,
} from './errors.js';
