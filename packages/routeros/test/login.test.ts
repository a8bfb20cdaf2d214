import { afterEach, describe, expect, it } from 'vitest';
import { AuthError, challengeResponse, type RouterOSClient } from '../src/index.js';
import { MiniRouter } from './helpers/mini-router.js';
import { connectPlain, rejection } from './helpers/util.js';

let router: MiniRouter | undefined;
let client: RouterOSClient | undefined;
afterEach(async () => {
  client?.destroy();
  client = undefined;
  await router?.close();
  router = undefined;
});

describe('challenge response (pre-6.43)', () => {
  it('matches the published test vector', () => {
    expect(challengeResponse('', '856780b7411eefd3abadee2058c149a3')).toBe('005062f7a5ef124d34675bf3e81f56c556');
  });
  it('rejects a challenge that is not hex', () => {
    expect(() => challengeResponse('', 'xyz')).toThrow(AuthError);
  });
});

describe('login', () => {
  it('logs in with name and password (6.43+) over plain TCP', async () => {
    router = new MiniRouter({ users: { admin: 's3cret' } });
    const port = await router.listen();
    client = await connectPlain(port, { password: 's3cret' });
    expect(client.loginStyle).toBe('plain');
    expect(client.transport.kind).toBe('plain');
    expect(client.transport.port).toBe(port);
    expect(await client.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
    // The login sentence carried name and password and a tag.
    const login = router.connections[0]!.received[0]!;
    expect(login[0]).toBe('/login');
    expect(login).toContain('=name=admin');
    expect(login).toContain('=password=s3cret');
    expect(login.some((w) => w.startsWith('.tag='))).toBe(true);
  });

  it('falls back to the MD5 challenge when !done carries =ret= (pre-6.43)', async () => {
    router = new MiniRouter({ users: { admin: 'pässword' }, loginStyle: 'challenge' });
    const port = await router.listen();
    client = await connectPlain(port, { password: 'pässword' });
    expect(client.loginStyle).toBe('challenge');
    const second = router.connections.at(-1)!.received[1]!;
    expect(second[0]).toBe('/login');
    expect(second.some((w) => /^=response=00[0-9a-f]{32}$/.test(w))).toBe(true);
    expect(await client.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('bad password -> AuthError without the password in the message (6.43+)', async () => {
    router = new MiniRouter({ users: { admin: 'right' } });
    const port = await router.listen();
    const err = await rejection(connectPlain(port, { password: 'wrong-Pa55' }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.code).toBe('auth_failed');
    expect(err.message).toContain('invalid user name or password (6)');
    expect(err.message).not.toContain('wrong-Pa55');
    expect(JSON.stringify(err)).not.toContain('wrong-Pa55');
  });

  it('bad password -> AuthError on the old challenge login ("cannot log in")', async () => {
    router = new MiniRouter({ users: { admin: 'right' }, loginStyle: 'challenge', badLoginMessage: 'cannot log in' });
    const port = await router.listen();
    const err = await rejection(connectPlain(port, { password: 'wrong-Pa55' }));
    expect(err).toBeInstanceOf(AuthError);
    expect(err.code).toBe('auth_failed');
    expect(err.message).toContain('cannot log in');
    expect(err.message).not.toContain('wrong-Pa55');
  });

  it('unknown user -> AuthError', async () => {
    router = new MiniRouter({ users: { admin: '' } });
    const port = await router.listen();
    const err = await rejection(connectPlain(port, { username: 'nobody' }));
    expect(err.code).toBe('auth_failed');
  });
});

describe('login input', () => {
  it('a password the device encoding cannot hold fails without naming any of its characters', async () => {
    router = new MiniRouter({ users: { admin: 'x' } });
    const port = await router.listen();
    const err = await rejection(connectPlain(port, { password: 'секрет' }));
    expect(err.code).toBe('unencodable');
    expect(err.message).toBe('user name or password cannot be represented in win1252');
  });
});
