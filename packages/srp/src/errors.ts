// One error class for everything the client refuses, with a code a UI can switch on. Server input that fails
// validation must never reach the big-integer maths: a crafted B could otherwise leak or hang.

export type SrpClientErrorCode =
  | 'bad_hex' // not an even-length hexadecimal string
  | 'bad_number' // an integer that does not fit the group's byte length
  | 'bad_B' // server public value B ≡ 0 (mod N) or out of range
  | 'bad_u' // scrambling parameter u = 0
  | 'bad_salt' // empty salt
  | 'bad_iterations' // PBKDF2 iteration count not a sane positive integer
  | 'bad_secret_key' // Secret Key bytes are not 16 bytes
  | 'no_webcrypto'; // globalThis.crypto.subtle missing (old runtime or insecure browser context)

export class SrpClientError extends Error {
  constructor(
    readonly code: SrpClientErrorCode,
    detail: string,
  ) {
    super(`SRP: ${detail}`);
    this.name = 'SrpClientError';
  }
}
