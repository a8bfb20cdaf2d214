// One API session with one router: transport, login, tagged commands multiplexed over one socket.
// Every command carries `.tag=N`; its handler is registered before the sentence is written, and replies are routed
// by tag, so any number of commands can be in flight and replies may interleave in any order.

import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { encodeSentence } from './codec.js';
import type { WordEncoding } from './encoding.js';
import { ClosedError, FatalError, ReplyLimitError, TimeoutError, TrapError } from './errors.js';
import type { SentenceDecoderOptions } from './frame.js';
import { type LoginStyle, login } from './login.js';
import { fatalReason, type Reply, type ReplyHandler, type Row, replySize, trapInfo } from './reply.js';
import { ReplyDecoder } from './reply-decoder.js';
import { CommandStream } from './stream.js';
import { openTransport, type TransportInfo, type TransportOptions } from './transport.js';
import { type Args, commandWords, normalizePath, type WordOptions } from './words.js';

/** Default `maxReplyBytes`: room for ~15 000 rows of a 40-attribute table such as `/interface`, and at most
 * 40-50 MB of heap per reply whatever its shape (measured with 1 KB values and with floods of tiny attributes). */
export const DEFAULT_MAX_REPLY_BYTES = 32 * 1024 * 1024;
/** Default `maxReplyRows`. */
export const DEFAULT_MAX_REPLY_ROWS = 200_000;

export interface ClientOptions extends TransportOptions {
  username: string;
  password: string;
  /** How words are turned into text. Default 'win1252' (what RouterOS uses on western devices). */
  encoding?: WordEncoding;
  /** Default timeout of each command. Default 30 s; 0 disables. */
  commandTimeoutMs?: number;
  /** Timeout of the login exchange. Default `connectTimeoutMs` (10 s). */
  loginTimeoutMs?: number;
  /** TCP keepalive probe delay. Default 30 s; 0 disables. */
  tcpKeepAliveMs?: number;
  /** When set, run a cheap command after this long without traffic; a failure closes the session. */
  keepaliveIntervalMs?: number;
  /** Rows a stream may queue ahead of its consumer before it is cancelled. Default 10000. */
  maxStreamBuffer?: number;
  /**
   * Most bytes one command's reply may bring, counted as its words' bytes plus 32 per word (`replySize`: about
   * what a reply costs in memory); default 32 MiB (`DEFAULT_MAX_REPLY_BYTES`). Over it the command fails with
   * ReplyLimitError and the session is closed. For a stream: most bytes queued ahead of its consumer (then
   * `stream_overflow`, as for rows). `Infinity` disables.
   */
  maxReplyBytes?: number;
  /** Most rows (`!re`, and `!trap`, which are kept too) one command's reply may bring; default 200 000. */
  maxReplyRows?: number;
  /** Largest word accepted; default 8 MiB. Over it: ProtocolError 'word_too_long', session closed. */
  maxWordBytes?: number;
  /** Most words in one sentence; default 65536 ('sentence_too_long'). */
  maxSentenceWords?: number;
  /** Most bytes in one sentence; default twice maxWordBytes, 16 MiB ('sentence_too_large'). */
  maxSentenceBytes?: number;
}

export interface CommandOptions extends WordOptions {
  /** Overrides the client's commandTimeoutMs; 0 disables. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the client's maxReplyRows for this command. */
  maxRows?: number;
  /** Overrides the client's maxReplyBytes for this command. */
  maxBytes?: number;
}

export interface StreamOptions extends WordOptions {
  /** Rows the stream may queue ahead of its consumer; default the client's maxStreamBuffer. */
  maxRows?: number;
  /** Bytes the stream may queue ahead of its consumer; default the client's maxReplyBytes. */
  maxBytes?: number;
}

export interface CommandResult {
  rows: Row[];
  /** Attributes of `!done` (e.g. `ret` of `add`). */
  done: Row;
  /** RouterOS 7.18+ said `!empty`: the command matched nothing. */
  empty: boolean;
}

interface RunOptions {
  timeoutMs: number;
  timeoutCode: string;
  signal?: AbortSignal;
  maxRows?: number;
  maxBytes?: number;
}

export class RouterOSClient extends EventEmitter<{ close: [Error] }> {
  readonly transport: TransportInfo;
  loginStyle: LoginStyle | undefined;
  private readonly socket: net.Socket;
  private readonly decoder: ReplyDecoder;
  private readonly encoding: WordEncoding;
  private readonly commandTimeoutMs: number;
  private readonly maxStreamBuffer: number;
  private readonly maxReplyBytes: number;
  private readonly maxReplyRows: number;
  // Bytes of replies nobody waits for (untagged, or late for a timed-out or cancelled command) since the last
  // late `!done`: a legitimate router stops soon after a cancel; one that keeps sending is flooding.
  private orphanBytes = 0;
  private readonly handlers = new Map<string, ReplyHandler>();
  private nextTag = 1;
  private closedWith: Error | null = null;
  private closing = false;
  private lastTraffic = Date.now();
  private keepaliveTimer: NodeJS.Timeout | undefined;

  /** Open the transport (see transport.ts for the TLS fallback order) and log in. */
  static async connect(opts: ClientOptions): Promise<RouterOSClient> {
    const { socket, info } = await openTransport(opts);
    const client = new RouterOSClient(socket, info, opts);
    try {
      const loginTimeout = opts.loginTimeoutMs ?? opts.connectTimeoutMs ?? 10_000;
      const run = (words: Array<string | Buffer>) =>
        client.runWords(words, { timeoutMs: loginTimeout, timeoutCode: 'login_timeout' }).then((r) => r.done);
      client.loginStyle = await login(run, opts.username, opts.password, client.encoding);
    } catch (e) {
      client.destroy(e as Error);
      throw e;
    }
    client.startKeepalive(opts.keepaliveIntervalMs);
    return client;
  }

  /** Wrap an already-open socket (no login). Mostly for tests and custom transports. */
  constructor(socket: net.Socket, info: TransportInfo, opts: Partial<ClientOptions> = {}) {
    super();
    this.socket = socket;
    this.transport = info;
    this.encoding = opts.encoding ?? 'win1252';
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 30_000;
    this.maxStreamBuffer = opts.maxStreamBuffer ?? 10_000;
    this.maxReplyBytes = opts.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
    this.maxReplyRows = opts.maxReplyRows ?? DEFAULT_MAX_REPLY_ROWS;
    const decoderOpts: SentenceDecoderOptions = {};
    if (opts.maxWordBytes !== undefined) decoderOpts.maxWordBytes = opts.maxWordBytes;
    if (opts.maxSentenceWords !== undefined) decoderOpts.maxSentenceWords = opts.maxSentenceWords;
    if (opts.maxSentenceBytes !== undefined) decoderOpts.maxSentenceBytes = opts.maxSentenceBytes;
    this.decoder = new ReplyDecoder(this.encoding, decoderOpts);
    const keepAlive = opts.tcpKeepAliveMs ?? 30_000;
    if (keepAlive > 0) socket.setKeepAlive(true, keepAlive);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      const code = e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'reset' : 'closed';
      this.fail(new ClosedError(code, `connection to ${info.host}:${info.port} lost: ${e.message}`, { cause: e }));
    });
    socket.on('close', () => {
      if (this.closing) {
        this.fail(new ClosedError('closed', 'connection closed by the client'));
        return;
      }
      const mid = this.decoder.idle ? '' : ' in the middle of a sentence';
      this.fail(new ClosedError('closed', `connection to ${info.host}:${info.port} closed by the router${mid}`));
    });
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Number of commands (including streams) awaiting replies. */
  get inFlight(): number {
    return this.handlers.size;
  }

  /** Run a command and collect its rows. Rejects with TrapError, TimeoutError, ClosedError, FatalError. */
  async command(path: string, args?: Args, opts: CommandOptions = {}): Promise<Row[]> {
    return (await this.run(path, args, opts)).rows;
  }

  /** Like `command`, also returning the `!done` attributes and whether the router said `!empty`. */
  run(path: string, args?: Args, opts: CommandOptions = {}): Promise<CommandResult> {
    let words: Array<string | Buffer>;
    try {
      words = commandWords(path, args, opts);
    } catch (e) {
      return Promise.reject(e);
    }
    const runOpts: RunOptions = { timeoutMs: opts.timeoutMs ?? this.commandTimeoutMs, timeoutCode: 'command_timeout' };
    if (opts.signal) runOpts.signal = opts.signal;
    if (opts.maxRows !== undefined) runOpts.maxRows = opts.maxRows;
    if (opts.maxBytes !== undefined) runOpts.maxBytes = opts.maxBytes;
    return this.runWords(words, runOpts);
  }

  /** Start a streaming command; iterate it with for-await, `break` cancels it on the router. */
  stream(path: string, args?: Args, opts: StreamOptions = {}): CommandStream {
    const words = commandWords(path, args, opts);
    const tag = this.allocTag();
    const stream = new CommandStream(
      tag,
      normalizePath(path),
      {
        cancel: (t) => this.sendCancel(t),
        release: (t) => this.handlers.delete(t),
        overrun: (message) => this.fail(new ClosedError('reply_limit', message)),
      },
      {
        maxRows: opts.maxRows ?? this.maxStreamBuffer,
        maxBytes: opts.maxBytes ?? this.maxReplyBytes,
        maxDroppedBytes: this.maxReplyBytes,
      },
    );
    const sentence = this.encode(words, tag);
    if (this.closedWith) {
      stream.onClose(this.closedWith);
      return stream;
    }
    this.handlers.set(tag, stream);
    this.socket.write(sentence);
    return stream;
  }

  /** `/cancel =tag=<tag>`. */
  async cancel(tag: string): Promise<void> {
    await this.runWords(['/cancel', `=tag=${tag}`], {
      timeoutMs: this.commandTimeoutMs,
      timeoutCode: 'command_timeout',
    });
  }

  /** Log out (`/quit`) and close. Pending commands reject with ClosedError('closed'). */
  async close(): Promise<void> {
    if (this.closedWith) return;
    this.closing = true;
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), 1000);
      this.socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });
    try {
      this.socket.write(encodeSentence(['/quit', `.tag=${this.allocTag()}`]));
      this.socket.end();
    } catch {
      // already broken: destroy below
    }
    await done;
    this.destroy(new ClosedError('closed', 'connection closed by the client'));
  }

  /** Close at once with `error` given to everything pending. */
  destroy(error: Error = new ClosedError('closed', 'connection closed by the client')): void {
    this.fail(error);
  }

  private allocTag(): string {
    const tag = String(this.nextTag);
    this.nextTag = this.nextTag >= Number.MAX_SAFE_INTEGER ? 1 : this.nextTag + 1;
    return tag;
  }

  private encode(words: Array<string | Buffer>, tag: string): Buffer {
    words.push(`.tag=${tag}`);
    return encodeSentence(words, this.encoding);
  }

  private runWords(words: Array<string | Buffer>, opts: RunOptions): Promise<CommandResult> {
    const path = typeof words[0] === 'string' ? words[0] : '(command)';
    if (this.closedWith) return Promise.reject(this.closedWith);
    if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
    const tag = this.allocTag();
    let sentence: Buffer;
    try {
      sentence = this.encode(words, tag);
    } catch (e) {
      return Promise.reject(e);
    }
    const maxRows = opts.maxRows ?? this.maxReplyRows;
    const maxBytes = opts.maxBytes ?? this.maxReplyBytes;
    return new Promise<CommandResult>((resolve, reject) => {
      const rows: Row[] = [];
      const traps: Array<{ category: number | undefined; message: string }> = [];
      let empty = false;
      let bytes = 0;
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => settle(opts.signal?.reason ?? new Error('aborted'), true);
      const settle = (error: Error | null, cancel: boolean, done?: Row) => {
        if (timer) clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        this.handlers.delete(tag);
        // Late replies to a cancelled tag find no handler and are dropped.
        if (cancel) this.sendCancel(tag);
        if (error) reject(error);
        else resolve({ rows, done: done ?? {}, empty });
      };
      this.handlers.set(tag, {
        onReply: (reply: Reply) => {
          bytes += replySize(reply);
          const kept = rows.length + traps.length + (reply.type === '!re' || reply.type === '!trap' ? 1 : 0);
          if (kept > maxRows || bytes > maxBytes) {
            // Let go of what was collected (measured: the arrays outlive the handler otherwise), fail the command,
            // and end the session: a peer past a limit may well ignore /cancel and send forever.
            rows.length = 0;
            traps.length = 0;
            const [limit, max] = kept > maxRows ? (['rows', maxRows] as const) : (['bytes', maxBytes] as const);
            settle(new ReplyLimitError(limit, max, path), false);
            this.fail(new ClosedError('reply_limit', `session closed: the reply to ${path} exceeded ${max} ${limit}`));
            return;
          }
          if (reply.type === '!re') rows.push(reply.attrs);
          else if (reply.type === '!trap') traps.push(trapInfo(reply));
          else if (reply.type === '!empty') empty = true;
          else if (reply.type === '!done')
            settle(traps.length > 0 ? new TrapError(traps, path) : null, false, reply.attrs);
        },
        onClose: (error: Error) => settle(error, false),
      });
      if (opts.timeoutMs > 0) {
        // setTimeout fires at once for delays above 2^31-1 ms; clamp so a huge timeout means "very long".
        const delay = Math.min(opts.timeoutMs, 2_147_483_647);
        timer = setTimeout(
          () =>
            settle(new TimeoutError(opts.timeoutCode, `${path} got no complete reply in ${opts.timeoutMs} ms`), true),
          delay,
        );
      }
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      this.socket.write(sentence);
    });
  }

  private sendCancel(tag: string): void {
    if (this.closedWith) return;
    this.runWords(['/cancel', `=tag=${tag}`], {
      timeoutMs: this.commandTimeoutMs,
      timeoutCode: 'command_timeout',
    }).catch(() => {});
  }

  private onData(chunk: Buffer): void {
    this.lastTraffic = Date.now();
    let replies: Reply[];
    try {
      replies = this.decoder.push(chunk);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    for (const reply of replies) {
      if (this.closedWith) return;
      this.dispatch(reply);
    }
  }

  private dispatch(reply: Reply): void {
    // `!fatal` is untagged and ends the session: every pending command fails with it.
    if (reply.type === '!fatal') {
      const reason = fatalReason(reply);
      this.fail(this.closing ? new ClosedError('closed', 'connection closed by the client') : new FatalError(reason));
      return;
    }
    // We tag everything: an untagged reply belongs to nobody, and one without a handler is late (its command
    // timed out or was cancelled). Both are dropped; only their size is counted.
    const handler = reply.tag === undefined ? undefined : this.handlers.get(reply.tag);
    if (handler) {
      handler.onReply(reply);
    } else if (reply.type === '!done') {
      this.orphanBytes = 0;
    } else {
      this.orphanBytes += replySize(reply);
      if (this.orphanBytes > this.maxReplyBytes)
        this.fail(
          new ClosedError('reply_limit', `session closed: over ${this.maxReplyBytes} bytes of unclaimed replies`),
        );
    }
  }

  private fail(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.socket.destroy();
    this.decoder.discard(); // a half-received sentence (up to maxSentenceBytes) must not outlive the session
    const handlers = [...this.handlers.values()];
    this.handlers.clear();
    for (const h of handlers) h.onClose(error);
    this.emit('close', error);
  }

  private startKeepalive(intervalMs: number | undefined): void {
    if (!intervalMs || intervalMs <= 0) return;
    let busy = false;
    this.keepaliveTimer = setInterval(
      () => {
        if (busy || Date.now() - this.lastTraffic < intervalMs) return;
        busy = true;
        this.runWords(['/system/identity/print'], {
          timeoutMs: this.commandTimeoutMs || 30_000,
          timeoutCode: 'keepalive_timeout',
        })
          .catch((e: Error) => {
            if (e instanceof TimeoutError) this.fail(e);
          })
          .finally(() => {
            busy = false;
          });
      },
      Math.max(100, Math.floor(intervalMs / 2)),
    );
    this.keepaliveTimer.unref();
  }
}
