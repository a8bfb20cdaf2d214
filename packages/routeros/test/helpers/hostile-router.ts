// A RouterOS API server that misbehaves on purpose, for the limit tests and the hostile bench: it accepts any login
// and then answers commands as the test says (floods of rows, huge or endless words, oversized sentences).
// Everything it sends goes out with socket backpressure, so the fake itself stays small however much it offers.

import net from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { encodeSentence, SentenceDecoder } from '../../src/codec.js';

export interface HostileConn {
  readonly socket: net.Socket;
  /** Bytes written so far. */
  sent: number;
  /** Paths of the commands received, in order (login included). */
  readonly commands: string[];
  readonly closed: Promise<void>;
}

/** Answers a command (after login); `tag` is the command's `.tag`. */
export type HostileHandler = (conn: HostileConn, path: string, tag: string | undefined) => void;

export class HostileRouter {
  readonly connections: HostileConn[] = [];
  port = 0;
  private readonly server: net.Server;

  /** With `login: 'handler'`, `/login` goes to the handler too instead of being accepted. */
  constructor(handler: HostileHandler, opts: { login?: 'accept' | 'handler' } = {}) {
    this.server = net.createServer((socket) => {
      socket.on('error', () => {});
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      const conn: HostileConn = { socket, sent: 0, commands: [], closed };
      this.connections.push(conn);
      const decoder = new SentenceDecoder();
      socket.on('data', (chunk: Buffer) => {
        for (const words of decoder.push(chunk)) {
          const text = words.map((w) => w.toString('latin1'));
          const path = text[0] ?? '';
          const tag = text.find((w) => w.startsWith('.tag='))?.slice(5);
          conn.commands.push(path);
          if (path === '/login' && opts.login !== 'handler')
            send(conn, encodeSentence(['!done', ...(tag ? [`.tag=${tag}`] : [])]));
          else handler(conn, path, tag);
        }
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function send(conn: HostileConn, bytes: Buffer): boolean {
  if (conn.socket.destroyed) return false;
  conn.sent += bytes.length;
  return conn.socket.write(bytes);
}

/**
 * Write `batch` again and again, waiting for `drain` whenever the socket buffer is full, until the socket closes
 * or `totalBytes` were written (then `after`, e.g. a `!done`).
 */
export function pump(conn: HostileConn, batch: Buffer, totalBytes = Number.POSITIVE_INFINITY, after?: Buffer): void {
  let written = 0;
  const step = () => {
    while (!conn.socket.destroyed) {
      if (written >= totalBytes) {
        if (after) send(conn, after);
        return;
      }
      written += batch.length;
      if (!send(conn, batch)) {
        conn.socket.once('drain', step);
        return;
      }
    }
  };
  step();
}

/** `count` `!re` sentences with an attribute of `valueBytes` (0: no attribute at all), for `tag`. */
export function rows(tag: string | undefined, count: number, valueBytes = 1000): Buffer {
  const words = ['!re'];
  if (valueBytes > 0) words.push(`=data=${'x'.repeat(valueBytes)}`);
  if (tag !== undefined) words.push(`.tag=${tag}`);
  const one = encodeSentence(words);
  return Buffer.concat(Array.from({ length: count }, () => one));
}

/** An endless stream of ~1 KB `!re` rows for `tag` (64 rows per write). */
export function flood(conn: HostileConn, tag: string | undefined, valueBytes = 1000): void {
  pump(conn, rows(tag, 64, valueBytes));
}

/** Trigger a full collection (vitest runs without --expose-gc; the flag can still be set at run time). */
export function gc(): void {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
}

/** Heap and ArrayBuffer bytes after a full collection. */
export function memory(): { heap: number; arrayBuffers: number; rss: number } {
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

/** Sample the peak of heapUsed + arrayBuffers (not collected first) every few ms until stopped. */
export function peakSampler(): { stop: () => number } {
  let peak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
  };
  sample();
  const timer = setInterval(sample, 2);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}
