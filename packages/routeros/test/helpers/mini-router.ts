// A minimal RouterOS API server for client tests: real TCP/TLS sockets, real framing, the login exchanges of
// 6.43+ and pre-6.43, tagged replies, `/cancel`, `/quit`. Commands are answered by per-test handlers.
// It is deliberately small; the full device simulator lives in @tod/simulator.

import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import tls from 'node:tls';
import { encodeSentence, SentenceDecoder } from '../../src/codec.js';

export interface Request {
  path: string;
  attrs: Record<string, string>;
  /** Query words (`?...`) in order. */
  query: string[];
  tag: string | undefined;
  conn: RouterConn;
}

export type Handler = (req: Request) => void;

export interface MiniRouterOptions {
  users?: Record<string, string>;
  /** 'plain' = 6.43+, 'challenge' = before 6.43. */
  loginStyle?: 'plain' | 'challenge';
  /** Old routers answer a bad login with `cannot log in`. */
  badLoginMessage?: string;
  tls?: { key: string; cert: string } | 'anon';
  handlers?: Record<string, Handler>;
  /** Send every sentence in random 1-7 byte pieces, one per tick. */
  splitWrites?: boolean;
}

export class RouterConn {
  loggedIn = false;
  challenge: Buffer | undefined;
  /** Streams started by handlers, by tag: `/cancel` interrupts them. */
  readonly streams = new Map<string, () => void>();
  readonly received: string[][] = [];
  // With splitWrites, output goes out in small random pieces on separate ticks, so the client sees length
  // prefixes and words cut across TCP segments.
  private readonly pending: Buffer[] = [];
  private pumping = false;
  constructor(
    readonly socket: net.Socket,
    private readonly splitWrites = false,
  ) {}

  send(words: string[]): void {
    this.write(encodeSentence(words));
  }

  write(bytes: Buffer): void {
    if (this.socket.destroyed) return;
    if (!this.splitWrites) {
      this.socket.write(bytes);
      return;
    }
    for (let off = 0; off < bytes.length; ) {
      const n = 1 + Math.floor(Math.random() * 7);
      this.pending.push(bytes.subarray(off, off + n));
      off += n;
    }
    if (!this.pumping) this.pump();
  }

  private pump(): void {
    const next = this.pending.shift();
    if (next === undefined || this.socket.destroyed) {
      this.pumping = false;
      return;
    }
    this.pumping = true;
    this.socket.write(next, () => setImmediate(() => this.pump()));
  }
  re(tag: string | undefined, attrs: Record<string, string>): void {
    this.send(['!re', ...attrWords(attrs), ...tagWord(tag)]);
  }
  done(tag: string | undefined, attrs: Record<string, string> = {}): void {
    this.send(['!done', ...attrWords(attrs), ...tagWord(tag)]);
  }
  trap(tag: string | undefined, message: string, category?: number): void {
    const cat = category === undefined ? [] : [`=category=${category}`];
    this.send(['!trap', ...cat, `=message=${message}`, ...tagWord(tag)]);
  }
}

function attrWords(attrs: Record<string, string>): string[] {
  return Object.entries(attrs).map(([k, v]) => `=${k}=${v}`);
}
function tagWord(tag: string | undefined): string[] {
  return tag === undefined ? [] : [`.tag=${tag}`];
}

export class MiniRouter {
  readonly connections: RouterConn[] = [];
  private server: net.Server | tls.Server;
  private readonly opts: MiniRouterOptions;

  constructor(opts: MiniRouterOptions = {}) {
    this.opts = opts;
    const onSocket = (socket: net.Socket) => this.accept(socket);
    if (opts.tls === 'anon') {
      this.server = tls.createServer(
        { ciphers: 'ADH-AES256-GCM-SHA384:@SECLEVEL=0', maxVersion: 'TLSv1.2', dhparam: 'auto' },
        onSocket,
      );
    } else if (opts.tls) {
      this.server = tls.createServer({ key: opts.tls.key, cert: opts.tls.cert }, onSocket);
    } else {
      this.server = net.createServer(onSocket);
    }
    // Handshake failures of fallback attempts are expected.
    this.server.on('tlsClientError', () => {});
  }

  port = 0;

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn = new RouterConn(socket, this.opts.splitWrites ?? false);
    socket.setNoDelay(true);
    this.connections.push(conn);
    const decoder = new SentenceDecoder();
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      let sentences: Buffer[][];
      try {
        sentences = decoder.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const s of sentences)
        this.handle(
          conn,
          s.map((w) => w.toString('latin1')),
        );
    });
  }

  private handle(conn: RouterConn, words: string[]): void {
    conn.received.push(words);
    const req: Request = { path: words[0] ?? '', attrs: {}, query: [], tag: undefined, conn };
    for (const w of words.slice(1)) {
      if (w.startsWith('.tag=')) req.tag = w.slice(5);
      else if (w.startsWith('?')) req.query.push(w);
      else if (w.startsWith('=')) {
        const eq = w.indexOf('=', 1);
        if (eq < 0) req.attrs[w.slice(1)] = '';
        else req.attrs[w.slice(1, eq)] = w.slice(eq + 1);
      }
    }
    if (req.path === '/login') {
      this.login(req);
      return;
    }
    if (req.path === '/quit') {
      conn.send(['!fatal', 'session terminated on request']);
      conn.socket.end();
      return;
    }
    if (!conn.loggedIn) {
      conn.trap(req.tag, 'not logged in', 5);
      return;
    }
    if (req.path === '/cancel') {
      const target = req.attrs.tag;
      const stop = target === undefined ? undefined : conn.streams.get(target);
      if (target !== undefined && stop) {
        conn.streams.delete(target);
        stop();
        conn.trap(target, 'interrupted', 2);
        conn.done(target);
        conn.done(req.tag);
        return;
      }
      conn.trap(req.tag, 'unknown command tag', 1);
      return;
    }
    const handler = this.opts.handlers?.[req.path];
    if (handler) {
      handler(req);
      return;
    }
    if (req.path === '/system/identity/print') {
      conn.re(req.tag, { name: 'MikroTik' });
      conn.done(req.tag);
      return;
    }
    conn.trap(req.tag, 'no such command', 0);
    conn.done(req.tag);
  }

  private login(req: Request): void {
    const { conn } = req;
    const users = this.opts.users ?? { admin: '' };
    const bad = this.opts.badLoginMessage ?? 'invalid user name or password (6)';
    const name = req.attrs.name ?? '';
    if ((this.opts.loginStyle ?? 'plain') === 'plain') {
      if (name in users && users[name] === req.attrs.password) {
        conn.loggedIn = true;
        conn.done(req.tag);
        return;
      }
      conn.trap(req.tag, bad);
      conn.done(req.tag);
      return;
    }
    // Pre-6.43: the first /login yields a challenge whatever it carries; the second carries the response.
    if (req.attrs.response === undefined) {
      conn.challenge = randomBytes(16);
      conn.done(req.tag, { ret: conn.challenge.toString('hex') });
      return;
    }
    const pw = users[name];
    const expected =
      pw === undefined || !conn.challenge
        ? undefined
        : `00${createHash('md5')
            .update(Buffer.concat([Buffer.from([0]), Buffer.from(pw, 'latin1'), conn.challenge]))
            .digest('hex')}`;
    if (expected !== undefined && req.attrs.response === expected) {
      conn.loggedIn = true;
      conn.done(req.tag);
      return;
    }
    conn.trap(req.tag, bad);
    conn.done(req.tag);
  }
}

/** A server that accepts connections and never says anything: login and TLS handshakes hang. */
export async function blackhole(): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets: net.Socket[] = [];
  const server = net.createServer((s) => {
    sockets.push(s);
    s.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * A listener whose accept queue is full and which never accepts: a child process listens with backlog 1 and then
 * blocks its event loop; two connections fill the queue, after which the kernel drops further SYNs, so a connect
 * attempt gets no answer at all (a real TCP connect timeout, as with a filtered port).
 */
export async function neverAccepts(): Promise<{ port: number; close: () => Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const script = `require('net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, function () {
    process.stdout.write(this.address().port + '\\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  })`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim())));
  });
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 2; i++) {
    await new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => resolve());
      s.on('error', reject);
      fillers.push(s);
    });
  }
  return {
    port,
    close: async () => {
      for (const s of fillers) s.destroy();
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill();
      await exited;
    },
  };
}
