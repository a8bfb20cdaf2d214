// A device's SSH service, as RouterOS serves it: banner `SSH-2.0-ROSSSH`, the device's own host key (ssh-keys.ts),
// password logins checked against `/user` (the group needs the `ssh` policy; the `wrongPassword` fault refuses all),
// `exec` of RouterOS CLI commands (ssh-cli.ts) and the `sftp` subsystem over the file store (sftp.ts; the group
// needs the `ftp` policy, which RouterOS documents as the right to read, write and erase files — a guess that
// SFTP follows it as FTP does), and the interactive console on a `shell` request (shell.ts; `pty` gives it the
// terminal's width and turns echo on, `window-change` follows resizes). Faults: sshRefuse (the fleet closes the
// listener), sshTimeout, sshLatencyMs, sshDropAfterBytes; `refuse`, flaps and reboots stop SSH with the device.
import type net from 'node:net';
import ssh2 from 'ssh2';
import type { Caller } from './commands/context.js';
import type { Device, SessionLike } from './device.js';
import { turnAway } from './reachability.js';
import { clientAddress } from './session.js';
import { serveSftp } from './sftp.js';
import { Shell } from './shell.js';
import { consoleBytes } from './shell-parse.js';
import { runCli } from './ssh-cli.js';
import { ConfigStore, type Item } from './store.js';

// Session ids of SSH connections, apart from the API's.
let nextId = 1_000_000;
const CHUNK = 16 * 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class SshConnection implements SessionLike {
  readonly id = nextId++;
  readonly service = 'ssh';
  readonly remote: string;
  user: Item | undefined;
  sent = 0;
  closed = false;
  constructor(
    readonly device: Device,
    readonly raw: net.Socket,
  ) {
    this.remote = clientAddress(raw);
  }

  drop(): void {
    this.closed = true;
    this.raw.destroy();
  }

  /** Black-holed: the client's bytes are left unread (exec output already under way may still arrive). */
  blackhole(on: boolean): void {
    if (on) this.raw.pause();
    else this.raw.resume();
  }

  /** Counts `n` bytes of data about to be sent; past the sshDropAfterBytes fault, cuts the connection instead. */
  allowance(n: number): number {
    const limit = this.device.faults.sshDropAfterBytes;
    if (this.closed) return 0;
    if (limit === undefined || this.sent + n <= limit) {
      this.sent += n;
      return n;
    }
    const part = Math.max(0, limit - this.sent);
    this.sent = limit;
    return part;
  }

  get latency(): number {
    return this.device.faults.sshLatencyMs ?? 0;
  }
}

export class SshService {
  private server: ssh2.Server | undefined;
  private serverKey = '';
  // Connections waiting for their SSH handshake, by remote address and port (ssh2 names the client by those).
  private readonly pending = new Map<string, SshConnection>();

  constructor(readonly device: Device) {}

  /** A TCP connection to the device's SSH port. */
  accept(raw: net.Socket): void {
    const d = this.device;
    raw.on('error', () => {});
    if (!d.sshAccepting) {
      raw.resetAndDestroy();
      return;
    }
    const verdict = d.admit('ssh', clientAddress(raw));
    if (verdict !== 'accept') {
      turnAway(raw, verdict, d);
      return;
    }
    const conn = new SshConnection(d, raw);
    const key = `${raw.remoteAddress}:${raw.remotePort}`;
    d.sessions.add(conn);
    raw.on('close', () => {
      conn.closed = true;
      this.pending.delete(key);
      d.sessionEnded(conn);
    });
    if (d.faults.sshTimeout) return; // connected, and never a banner
    this.pending.set(key, conn);
    this.serverFor().injectSocket(raw);
  }

  // One ssh2 server per host key: a regenerated key applies to new connections.
  private serverFor(): ssh2.Server {
    const key = this.device.hostKey;
    if (!this.server || this.serverKey !== key.fingerprint) {
      this.server = new ssh2.Server({ hostKeys: [key.privateKey], ident: 'ROSSSH' }, (client, info) =>
        this.onClient(client, info),
      );
      this.serverKey = key.fingerprint;
    }
    return this.server;
  }

  private onClient(client: ssh2.Connection, info: ssh2.ClientInfo): void {
    const d = this.device;
    const conn = this.pending.get(`${info.ip}:${info.port}`);
    client.on('error', () => {});
    if (!conn) {
      client.end();
      return;
    }
    this.pending.delete(`${info.ip}:${info.port}`);
    const methods: ssh2.AuthenticationType[] = ['publickey', 'password'];
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'password') return ctx.reject(methods);
      const user = d.findUser(ctx.username);
      const ok =
        user !== undefined &&
        !d.faults.wrongPassword &&
        d.policies(user).has('ssh') &&
        ctx.password === (ConfigStore.get(user, 'password') ?? '');
      if (!ok) {
        d.log('system,error,critical', `login failure for user ${ctx.username} from ${info.ip} via ssh`);
        return ctx.reject(methods);
      }
      conn.user = user;
      d.log('system,info,account', `user ${ctx.username} logged in from ${info.ip} via ssh`);
      ctx.accept();
    });
    client.on('session', (accept) => {
      const session = accept();
      let pty: ssh2.PseudoTtyInfo | undefined;
      let shell: Shell | undefined;
      session.on('pty', (ok, _reject, info) => {
        pty = info;
        ok?.();
      });
      session.on('window-change', (ok, _reject, info) => {
        shell?.resize(info.cols);
        ok?.();
      });
      session.on('env', (ok) => ok?.());
      session.on('shell', (ok) => {
        shell = this.shell(conn, ok(), info.ip, pty);
      });
      session.on('exec', (ok, _reject, req) => this.exec(conn, ok(), req.command, info.ip));
      session.on('sftp', (ok, reject) => {
        if (!conn.user || !d.policies(conn.user).has('ftp')) return reject?.();
        serveSftp(d, ok(), {
          reply: (fn) => {
            if (conn.latency > 0) setTimeout(fn, conn.latency);
            else fn();
          },
          spend: (n) => {
            if (conn.allowance(n) === n) return true;
            conn.drop();
            return false;
          },
        });
      });
    });
  }

  private caller(conn: SshConnection, ip: string): Caller {
    const user = conn.user;
    return {
      id: conn.id,
      userName: user ? (ConfigStore.get(user, 'name') ?? '') : '',
      user,
      policies: user ? this.device.policies(user) : new Set(),
      remote: ip,
      script: false,
    };
  }

  /**
   * Writes to a channel in pieces, with the connection's latency; past the sshDropAfterBytes fault, what fits, then
   * the TCP connection goes, with no exit status or channel close.
   */
  private writer(conn: SshConnection, ch: ssh2.ServerChannel, ended: () => boolean) {
    return async (bytes: Buffer) => {
      for (let at = 0; at < bytes.length && !conn.closed && !ended(); at += CHUNK) {
        if (conn.latency > 0) await sleep(conn.latency);
        const piece = bytes.subarray(at, at + CHUNK);
        const allowed = conn.allowance(piece.length);
        if (allowed < piece.length) {
          if (allowed > 0) ch.write(piece.subarray(0, allowed));
          setImmediate(() => conn.drop());
          conn.closed = true;
          return;
        }
        if (!ch.write(piece))
          await new Promise<void>((r) => {
            ch.once('drain', r);
            ch.once('close', r);
          });
      }
    };
  }

  /** The interactive console; it ends on quit or Ctrl-D (channel closed), or a reboot (the device drops it). */
  private shell(conn: SshConnection, ch: ssh2.ServerChannel, ip: string, pty: ssh2.PseudoTtyInfo | undefined): Shell {
    let ended = false;
    const shell = new Shell(
      this.device,
      this.caller(conn, ip),
      { write: this.writer(conn, ch, () => ended) },
      { echo: pty !== undefined, ...(pty?.cols ? { cols: pty.cols } : {}) },
    );
    ch.on('data', (b: Buffer) => shell.feed(b));
    ch.on('end', () => shell.close());
    ch.on('close', () => {
      ended = true;
      shell.close();
    });
    shell
      .run()
      .then((outcome) => {
        if (conn.closed || ended) return;
        ch.exit(0);
        ch.end();
        if (outcome.reboot) setTimeout(() => this.device.reboot(), 50);
      })
      .catch(() => conn.drop());
    return shell;
  }

  private exec(conn: SshConnection, ch: ssh2.ServerChannel, command: string, ip: string): void {
    const d = this.device;
    let ended = false;
    ch.on('close', () => {
      ended = true;
    });
    const send = this.writer(conn, ch, () => ended);
    const readKey = () =>
      new Promise<string | undefined>((resolve) => {
        const onData = (b: Buffer) => {
          ch.off('end', onEnd);
          resolve(b.toString('latin1').slice(0, 1));
        };
        const onEnd = () => {
          ch.off('data', onData);
          resolve(undefined);
        };
        ch.once('data', onData);
        ch.once('end', onEnd);
      });
    runCli(d, this.caller(conn, ip), command, { write: (text) => send(consoleBytes(text)), readKey })
      .then((outcome) => {
        if (conn.closed || ended) return;
        // RouterOS's exit status is a guess: 0, also after an error message (the text says what went wrong).
        ch.exit(0);
        ch.end();
        if (outcome.reboot) setTimeout(() => d.reboot(), 50);
      })
      .catch(() => conn.drop());
  }
}
