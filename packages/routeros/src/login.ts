// Login. RouterOS 6.43+ takes `/login =name= =password=` and answers `!done`. Older versions ignore the password,
// answer `!done =ret=<challenge hex>` and expect `/login =name= =response=00<md5(0x00 + password + challenge)>`.

import { createHash } from 'node:crypto';
import { encodeText, type WordEncoding } from './encoding.js';
import { AuthError, RouterOSProtocolError, TrapError } from './errors.js';

/** The `=response=` value for the pre-6.43 challenge login. */
export function challengeResponse(
  password: string | Buffer,
  challengeHex: string,
  encoding: WordEncoding = 'win1252',
): string {
  if (!/^(?:[0-9a-fA-F]{2})+$/.test(challengeHex)) throw new AuthError('auth_failed', 'login challenge is not hex');
  const pw = typeof password === 'string' ? encodeText(password, encoding) : password;
  const md5 = createHash('md5');
  md5.update(Buffer.from([0]));
  md5.update(pw);
  md5.update(Buffer.from(challengeHex, 'hex'));
  return `00${md5.digest('hex')}`;
}

export type LoginStyle = 'plain' | 'challenge';

/** What login needs from a connection: run one command, resolving with the `!done` attributes. */
export type RunLogin = (words: Array<string | Buffer>) => Promise<Record<string, string>>;

/** Log in; resolves with the style the router accepted. Traps become AuthError (without the password). */
export async function login(
  run: RunLogin,
  username: string,
  password: string,
  encoding: WordEncoding = 'win1252',
): Promise<LoginStyle> {
  try {
    const done = await run(['/login', `=name=${username}`, `=password=${password}`]);
    const challenge = done.ret;
    if (challenge === undefined || challenge === '') return 'plain';
    await run(['/login', `=name=${username}`, `=response=${challengeResponse(password, challenge, encoding)}`]);
    return 'challenge';
  } catch (e) {
    if (e instanceof TrapError) {
      // RouterOS: "invalid user name or password (6)" on 6.43+, "cannot log in" before.
      throw new AuthError(
        'auth_failed',
        `login as ${JSON.stringify(username)} refused: ${e.trapMessage || 'no reason given'}`,
      );
    }
    if (e instanceof RouterOSProtocolError && e.code === 'unencodable') {
      // The original message names the offending character; for a password even that is too much.
      throw new RouterOSProtocolError('unencodable', `user name or password cannot be represented in ${encoding}`);
    }
    throw e;
  }
}
