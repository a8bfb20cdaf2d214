// @tod/srp: SRP-6a with two-secret key derivation, for browsers and Node 20 (WebCrypto + BigInt only).
export {
  type Bytes,
  bigIntToBytes,
  bytesToBigInt,
  bytesToHex,
  concat,
  equalBytes,
  hexToBytes,
  modPow,
  pad,
  xor,
} from './bytes.js';
export {
  checkServerProof,
  clientExchange,
  type Exchange,
  enrol,
  randomExponent,
  type SrpInit,
  signInProof,
  verifierFor,
} from './client.js';
export { SrpClientError, type SrpClientErrorCode } from './errors.js';
export { GROUP_1024_SHA1, GROUP_3072, type SrpGroup } from './group.js';
export {
  type DeriveInput,
  deriveSteps,
  deriveX,
  identity,
  MAX_ITERATIONS,
  PBKDF2_ITERATIONS,
  passwordBytes,
} from './kdf.js';
export { clientProof, clientSecret, multiplier, scramble, serverProof } from './math.js';
export { formatSecretKey, newSecretKey, parseSecretKey, SecretKeyFormatError } from './secret-key.js';
export { hash } from './webcrypto.js';
