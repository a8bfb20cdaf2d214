// An SSH client for the simulator's tests (ssh2's Client, as a real tool uses it): connect with a password,
// exec a command and collect its output, open SFTP.
import { createHash } from 'node:crypto';
import { Client, type SFTPWrapper } from 'ssh2';
import type { DeviceInfo } from '../src/index.js';

/** A small configuration with a secret (a PPP password) and a firewall rule. */
export const SECRETS_CONFIG = `/ip firewall filter
add action=accept chain=input comment=fw1
/ppp secret
add name=u1 password=s3cret-ppp service=pppoe
`;

export type SshLogin = { username?: string; password?: string; seen?: (fingerprint: string) => void };

export const fingerprint = (key: Buffer) =>
  `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;

export function sshConnect(d: DeviceInfo, o: SshLogin = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.once('ready', () => resolve(c));
    c.once('error', reject);
    c.connect({
      host: d.address,
      port: d.sshPort as number,
      username: o.username ?? d.username,
      password: o.password ?? d.password,
      readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        o.seen?.(fingerprint(key));
        return true;
      },
    });
  });
}

export type ExecResult = { out: string; code: number | null | undefined; closed: boolean };

/** Runs a command; `closed` is false when the connection ended without the channel closing (a drop). */
export function exec(c: Client, command: string, stdin?: string): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    c.exec(command, (err, ch) => {
      if (err) return reject(err);
      const chunks: Buffer[] = [];
      let code: number | null | undefined;
      let done = false;
      const finish = (closed: boolean) => {
        if (done) return;
        done = true;
        resolve({ out: Buffer.concat(chunks).toString('latin1'), code, closed });
      };
      ch.on('data', (b: Buffer) => chunks.push(b));
      ch.stderr.on('data', (b: Buffer) => chunks.push(b));
      ch.on('exit', (n: number | null) => {
        code = n;
      });
      ch.on('close', () => finish(code !== undefined));
      c.once('close', () => finish(false));
      if (stdin !== undefined) ch.end(stdin);
    });
  });
}

export async function withSsh<T>(d: DeviceInfo, fn: (c: Client) => Promise<T>, o: SshLogin = {}): Promise<T> {
  const c = await sshConnect(d, o);
  try {
    return await fn(c);
  } finally {
    c.end();
  }
}

export function sftpOf(c: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) => c.sftp((err, s) => (err ? reject(err) : resolve(s))));
}

/** ssh2's readFile never calls back when the connection drops mid-read: the channel's close ends the wait. */
export function readFile(s: SFTPWrapper, path: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const lost = () => reject(new Error('connection lost'));
    s.once('close', lost);
    s.readFile(path, (err, b) => {
      s.off('close', lost);
      if (err) reject(err);
      else resolve(b);
    });
  });
}

export function writeFile(s: SFTPWrapper, path: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => s.writeFile(path, data, (err) => (err ? reject(err) : resolve())));
}

export function readdir(s: SFTPWrapper, path: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    s.readdir(path, (err, list) => (err ? reject(err) : resolve(list.map((e) => e.filename)))),
  );
}
