import { createHash } from 'node:crypto';
import type { ClientChannel, SFTPWrapper } from 'ssh2';
import ssh2 from 'ssh2';
import { type Credentials, refuseUnsafeCredentials } from './connect.js';
import type { PurposeLimits } from './purposes.js';
import type { TargetPolicy } from './target-policy.js';
import { type AccessFailureCode, DeviceAccessError } from './taxonomy.js';

// SSH sessions to a router (ssh2): exec of RouterOS CLI commands and SFTP over its files. The target policy applies
// to the SSH port; the host key is checked in ssh2's hostVerifier, before any password is sent; every wait is
// bounded by the purpose's timeouts and every reply by its byte limit; failures leave as DeviceAccessError with
// the taxonomy's SSH codes, written from what TOD knows (never from bytes the peer sent).

export type SshEndpoint = {
  host: string;
  port: number;
  /** The pinned host key fingerprint (`SHA256:…`); another key is refused before the password is sent. */
  hostKey: string | null;
};

export type SshExecResult = { stdout: Buffer; stderr: Buffer; exitCode: number | null; complete: boolean };

export type SshSession = {
  /** The host key fingerprint the device presented (`SHA256:…`, as OpenSSH shows it). */
  readonly hostKey: string;
  /** Set when this open pinned the host key (trust on first use). */
  readonly pinned: string | undefined;
  /**
   * Runs a command. `complete` is false when the connection ended before the channel closed (a transfer cut
   * mid-way): the output is then partial. Past `maxBytes`: `reply_too_large` (the channel is closed); past
   * `timeoutMs`: `ssh_timeout`.
   */
  exec(command: string, o?: { maxBytes?: number; timeoutMs?: number }): Promise<SshExecResult>;
  /** A whole file over SFTP; fewer bytes than its size (a dropped connection): `ssh_transfer_incomplete`. */
  readFile(path: string, o?: { maxBytes?: number; timeoutMs?: number }): Promise<Buffer>;
  /** Uploads a file over SFTP (created or replaced). */
  writeFile(path: string, data: Buffer): Promise<void>;
  stat(path: string): Promise<{ size: number } | undefined>;
  /** Removes a file; no error when it is already gone. */
  remove(path: string): Promise<void>;
  /**
   * An interactive shell on a pseudo-terminal (the browser terminal). The channel is the caller's to read, write,
   * resize (`setWindow`) and close; closing the session ends it too.
   */
  shell(pty: { cols: number; rows: number; term?: string }): Promise<ClientChannel>;
  /** Closes the connection and frees the session's slot. Safe to call twice. */
  release(): Promise<void>;
};

/** OpenSSH's fingerprint of a public key blob: `SHA256:` and unpadded base64. */
export function sshFingerprint(publicKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(publicKey).digest('base64').replace(/=+$/, '')}`;
}

// RouterOS 6 offers older algorithms than ssh2 proposes by default: offered after the modern ones.
const LEGACY = {
  kex: {
    append: ['diffie-hellman-group-exchange-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
    prepend: [],
    remove: [],
  },
  serverHostKey: { append: ['ssh-dss'], prepend: [], remove: [] },
  cipher: { append: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'], prepend: [], remove: [] },
} as ssh2.Algorithms;

const CHUNK = 32 * 1024;
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'EADDRNOTAVAIL']);
const REFUSED = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE']);

type SshError = Error & { level?: string; code?: string | number };

const fail = (code: AccessFailureCode, label: string, why: string) => new DeviceAccessError(code, `${label}: ${why}`);

/** Why a connection attempt failed, in the taxonomy. */
function connectFailure(err: SshError, label: string, mismatch: string | undefined): DeviceAccessError {
  if (err instanceof DeviceAccessError) return err;
  if (mismatch)
    return fail(
      'ssh_host_key_mismatch',
      label,
      `the SSH host key differs from the pinned one (it now presents ${mismatch})`,
    );
  const code = typeof err.code === 'string' ? err.code : '';
  if (err.level === 'client-authentication') return fail('ssh_auth_failed', label, 'SSH login refused');
  if (err.level === 'client-timeout' || code === 'ETIMEDOUT')
    return fail('ssh_timeout', label, 'no SSH handshake in time');
  if (UNREACHABLE.has(code)) return fail('unreachable', label, `host unreachable (${code})`);
  if (REFUSED.has(code) || err.level === 'closed')
    return fail('ssh_refused', label, 'SSH connection refused: is the ssh service enabled and the SSH port right?');
  if (err.level === 'protocol' || err.level === 'handshake')
    return fail('ssh_refused', label, 'the service on the SSH port did not complete an SSH handshake');
  return fail('error', label, 'SSH connection failed');
}

/** Connects and logs in; the host key is verified first (a pinned one must match) and its fingerprint returned. */
export async function connectSsh(
  policy: TargetPolicy,
  e: SshEndpoint,
  creds: Credentials,
  limits: PurposeLimits,
): Promise<{ client: ssh2.Client; hostKey: string }> {
  const label = `${e.host} (SSH ${e.port})`;
  refuseUnsafeCredentials(e.host, creds);
  const address = await policy.resolve(e.host, [e.port]);
  const client = new ssh2.Client();
  client.on('error', () => {});
  let seen: string | undefined;
  let mismatch: string | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(Object.assign(new Error('closed'), { level: 'closed' })));
      client.connect({
        host: address,
        port: e.port,
        username: creds.username,
        password: creds.password,
        authHandler: ['password'],
        tryKeyboard: false,
        readyTimeout: limits.connectTimeoutMs,
        algorithms: LEGACY,
        // Refusing here ends the handshake before authentication: a device with another key never sees the password.
        hostVerifier: (key: Buffer) => {
          seen = sshFingerprint(key);
          if (e.hostKey && e.hostKey !== seen) mismatch = seen;
          return mismatch === undefined;
        },
      });
    });
  } catch (err) {
    client.destroy();
    throw connectFailure(err as SshError, label, mismatch);
  }
  return { client, hostKey: seen as string };
}

/** A session over a connected client. `releases` free its slots, in reverse order, on release. */
export function sshSession(
  client: ssh2.Client,
  o: { hostKey: string; pinned: string | undefined; limits: PurposeLimits; label: string },
  releases: Array<() => unknown>,
): SshSession {
  let lost = false;
  let released = false;
  const waiters = new Set<() => void>();
  client.on('close', () => {
    lost = true;
    for (const w of [...waiters]) w();
  });
  const err = (code: AccessFailureCode, why: string) => fail(code, o.label, why);

  /** Runs an ssh2 call; the connection closing (ssh2 never calls back then) or the deadline ends the wait. */
  function call<T>(
    start: (cb: (e: SshError | null | undefined, v: T) => void) => void,
    deadline: number,
    lostCode: AccessFailureCode,
  ): Promise<T> {
    if (lost) return Promise.reject(err(lostCode, 'the SSH connection was lost'));
    return new Promise<T>((resolve, reject) => {
      const onLost = () => done(() => reject(err(lostCode, 'the SSH connection was lost')));
      const timer = setTimeout(
        () => done(() => reject(err('ssh_timeout', 'no SSH answer in time'))),
        Math.max(0, deadline - Date.now()),
      );
      const done = (fn: () => void) => {
        if (!waiters.delete(onLost)) return;
        clearTimeout(timer);
        fn();
      };
      waiters.add(onLost);
      try {
        start((e, v) => done(() => (e ? reject(e) : resolve(v))));
      } catch {
        // ssh2 throws when the connection is already gone
        done(() => reject(err(lostCode, 'the SSH connection was lost')));
      }
    });
  }

  let sftpOpen: Promise<SFTPWrapper> | undefined;
  const sftp = (deadline: number) => {
    sftpOpen ??= call<SFTPWrapper>((cb) => client.sftp(cb), deadline, 'connection_lost').catch((e) => {
      sftpOpen = undefined;
      throw e instanceof DeviceAccessError
        ? e
        : err('ssh_refused', "the device refused SFTP (the user's group needs the ftp policy)");
    });
    return sftpOpen;
  };
  const sftpFailure = (e: unknown, what: string) =>
    e instanceof DeviceAccessError
      ? e
      : err('error', `the device refused to ${what} (SFTP status ${(e as SshError).code ?? '?'})`);
  const deadlineOf = (t?: number) => Date.now() + (t ?? o.limits.commandTimeoutMs);

  return {
    hostKey: o.hostKey,
    pinned: o.pinned,

    exec(command, x = {}) {
      const maxBytes = x.maxBytes ?? o.limits.maxReplyBytes;
      const deadline = deadlineOf(x.timeoutMs);
      return call<ClientChannel>((cb) => client.exec(command, cb), deadline, 'connection_lost').then(
        (ch) =>
          new Promise<SshExecResult>((resolve, reject) => {
            const out: Buffer[] = [];
            const errs: Buffer[] = [];
            let bytes = 0;
            let exitCode: number | null = null;
            let settled = false;
            const result = (complete: boolean): SshExecResult => ({
              stdout: Buffer.concat(out),
              stderr: Buffer.concat(errs),
              exitCode,
              complete,
            });
            const finish = (fn: () => void) => {
              if (settled) return;
              settled = true;
              clearTimeout(timer);
              waiters.delete(onLost);
              fn();
            };
            // The connection ended: complete only if the device had already ended the channel (EOF or close);
            // ssh2's channel state is the only record of that once the socket is gone.
            const onLost = () => {
              const state = (ch as unknown as { incoming?: { state?: string } }).incoming?.state;
              if (state !== 'eof' && state !== 'closed') finish(() => resolve(result(false)));
            };
            const take = (into: Buffer[]) => (b: Buffer) => {
              if (settled) return;
              bytes += b.length;
              if (bytes > maxBytes) {
                ch.close();
                finish(() => reject(err('reply_too_large', `the output exceeded ${maxBytes} bytes; channel closed`)));
                return;
              }
              into.push(b);
            };
            const timer = setTimeout(
              () => {
                ch.close();
                finish(() => reject(err('ssh_timeout', 'the command did not finish in time')));
              },
              Math.max(0, deadline - Date.now()),
            );
            waiters.add(onLost);
            ch.on('data', take(out));
            ch.stderr.on('data', take(errs));
            ch.on('exit', (code: number | null) => {
              exitCode = typeof code === 'number' ? code : null;
            });
            // A close after a cut already settled; any other close is the device ending the channel.
            ch.on('close', () => finish(() => resolve(result(true))));
            if (lost) onLost();
          }),
      );
    },

    async readFile(path, x = {}) {
      const maxBytes = x.maxBytes ?? o.limits.maxReplyBytes;
      const deadline = deadlineOf(x.timeoutMs);
      const s = await sftp(deadline);
      const t = 'ssh_transfer_incomplete';
      try {
        const { size } = await call<{ size: number }>((cb) => s.stat(path, cb), deadline, t);
        if (size > maxBytes) throw err('reply_too_large', `the file is ${size} bytes, more than ${maxBytes}`);
        const handle = await call<Buffer>((cb) => s.open(path, 'r', cb), deadline, t);
        const chunks: Buffer[] = [];
        let total = 0;
        try {
          for (;;) {
            const want = Math.min(CHUNK, maxBytes + 1 - total);
            const n = await call<number>(
              (cb) =>
                s.read(handle, Buffer.alloc(want), 0, want, total, (e, nb, buf) => {
                  if (!e && nb > 0) chunks.push(Buffer.from(buf.subarray(0, nb)));
                  cb(e, nb);
                }),
              deadline,
              t,
            );
            if (n === 0) break;
            total += n;
            if (total > maxBytes) throw err('reply_too_large', `the file grew past ${maxBytes} bytes`);
          }
        } finally {
          if (!lost) s.close(handle, () => {});
        }
        if (total !== size) throw err(t, `read ${total} of ${size} bytes`);
        return Buffer.concat(chunks, total);
      } catch (e) {
        throw sftpFailure(e, 'read the file');
      }
    },

    async writeFile(path, data) {
      const deadline = deadlineOf(undefined);
      const s = await sftp(deadline);
      const t = 'ssh_transfer_incomplete';
      try {
        const handle = await call<Buffer>((cb) => s.open(path, 'w', cb), deadline, t);
        for (let at = 0; at < data.length; at += CHUNK) {
          const len = Math.min(CHUNK, data.length - at);
          await call<void>((cb) => s.write(handle, data, at, len, at, (e) => cb(e, undefined)), deadline, t);
        }
        await call<void>((cb) => s.close(handle, (e) => cb(e, undefined)), deadline, t);
      } catch (e) {
        throw sftpFailure(e, 'write the file');
      }
    },

    async stat(path) {
      const s = await sftp(deadlineOf(undefined));
      try {
        const a = await call<{ size: number }>((cb) => s.stat(path, cb), deadlineOf(undefined), 'connection_lost');
        return { size: a.size };
      } catch (e) {
        if ((e as SshError).code === 2) return undefined; // no such file
        throw sftpFailure(e, 'stat the file');
      }
    },

    async remove(path) {
      const s = await sftp(deadlineOf(undefined));
      try {
        await call<void>((cb) => s.unlink(path, (e) => cb(e, undefined)), deadlineOf(undefined), 'connection_lost');
      } catch (e) {
        if ((e as SshError).code === 2) return; // already gone
        throw sftpFailure(e, 'remove the file');
      }
    },

    shell(pty) {
      const window = { term: pty.term ?? 'xterm-256color', cols: pty.cols, rows: pty.rows, width: 0, height: 0 };
      return call<ClientChannel>((cb) => client.shell(window, cb), deadlineOf(undefined), 'connection_lost').catch(
        (e) => {
          throw e instanceof DeviceAccessError ? e : err('ssh_refused', 'the device refused an interactive shell');
        },
      );
    },

    async release() {
      if (released) return;
      released = true;
      client.end();
      client.destroy();
      for (const r of releases.reverse()) await r();
    },
  };
}
