// Shared test helpers: the real exports as named texts (from the repository's fixtures), and client connections.
import net from 'node:net';
import { type ClientOptions, encodeSentence, RouterOSClient, TextSentenceDecoder } from '@tod/routeros';
import { exportFiles, readExport } from '../../../fixtures/index.js';
import type { DeviceInfo } from '../src/index.js';

/**
 * The fixture exports, with the API turned on where the export turns it off (v5.7, v6.27, v7.8, v7.20): these tests
 * read the configuration over the API, and a disabled API refuses connections as on RouterOS.
 */
export function exportFixtures(): Array<{ name: string; text: string }> {
  return exportFiles().map((name) => ({ name, text: withApiOn(readExport(name)) }));
}

/** `set api disabled=yes …` in `/ip service` without the `disabled=yes` (a line left with nothing to set goes). */
export function withApiOn(text: string): string {
  return text.replace(/^(set api )(.*?)disabled=yes ?(.*)\r?\n/m, (_m, head: string, before: string, after: string) => {
    const rest = `${before}${after}`.trim();
    return rest === '' ? '' : `${head}${rest}\n`;
  });
}

export function connect(d: DeviceInfo, extra: Partial<ClientOptions> = {}): Promise<RouterOSClient> {
  return RouterOSClient.connect({
    host: d.address,
    port: d.port,
    tlsPort: d.tlsPort ?? 0,
    tlsMode: 'plain',
    username: d.username,
    password: d.password,
    commandTimeoutMs: 5000,
    connectTimeoutMs: 3000,
    ...extra,
  });
}

/** The same device over API-SSL (TLS only: a refused api-ssl does not fall back to the plain API). */
export function connectTls(d: DeviceInfo, extra: Partial<ClientOptions> = {}): Promise<RouterOSClient> {
  return connect(d, { tlsMode: 'insecure', ...extra });
}

/** Polls `check` until it returns something truthy; fails after `timeoutMs` saying what was awaited. */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A raw API socket: write sentences, read sentences as word arrays (to check the wire exactly). */
export class RawApi {
  private readonly decoder = new TextSentenceDecoder('win1252');
  private readonly queue: string[][] = [];
  private waiters: Array<() => void> = [];
  closed = false;
  readonly socket: net.Socket;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.on('data', (c: Buffer) => {
      for (const s of this.decoder.push(c)) this.queue.push(s);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  static open(host: string, port: number): Promise<RawApi> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host, port }, () => resolve(new RawApi(s)));
      s.once('error', reject);
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(...words: string[]): void {
    this.socket.write(encodeSentence(words));
  }

  /** Next sentence; undefined when the connection closed first. */
  async read(timeoutMs = 3000): Promise<string[] | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) return undefined;
      if (Date.now() > deadline) throw new Error('no sentence in time');
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.queue.shift();
  }

  /** Sentences up to and including the `!done` carrying `tag` (or untagged). */
  async untilDone(tag?: string): Promise<string[][]> {
    const out: string[][] = [];
    for (;;) {
      const s = await this.read();
      if (!s) throw new Error(`closed before !done (got ${JSON.stringify(out)})`);
      out.push(s);
      if (s[0] === '!done' && (tag === undefined || s.includes(`.tag=${tag}`))) return out;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export async function rawLogin(d: DeviceInfo): Promise<RawApi> {
  const api = await RawApi.open(d.address, d.port);
  api.send('/login', `=name=${d.username}`, `=password=${d.password}`);
  const reply = await api.untilDone();
  if (reply.length !== 1) throw new Error(`login failed: ${JSON.stringify(reply)}`);
  return api;
}
