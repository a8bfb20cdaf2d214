// One API connection: framing (the @tod/routeros codec), login (both styles), tagged commands, /cancel, /quit,
// streaming, and the per-device faults that act on the wire (latency, silence, resets mid-sentence).
import { createHash } from 'node:crypto';
import type net from 'node:net';
import { encodeSentence, TextSentenceDecoder } from '@tod/routeros';
import { type Caller, CommandError, type Out } from './commands/context.js';
import { dispatch, splitCommand } from './commands/index.js';
import { type Device, randomChallenge, type SessionLike } from './device.js';
import { type FloodOptions, flood, HUGE_WORD_BYTES, hugeWordAnnouncement } from './hostile.js';
import type { Row } from './query.js';
import type { ServiceName } from './reachability.js';
import { SelectorError } from './select.js';
import { ConfigStore, type Item } from './store.js';

let nextSessionId = 1;

interface Running {
  out: TaggedOut;
  cleanup: Array<() => void>;
}

class TaggedOut implements Out {
  ended = false;
  private readonly session: Session;
  private readonly tag: string | undefined;
  constructor(session: Session, tag: string | undefined) {
    this.session = session;
    this.tag = tag;
  }
  private send(type: string, attrs?: Row, extra?: string[]): void {
    if (this.ended) return;
    const words = [type];
    if (attrs) for (const k in attrs) words.push(`=${k}=${attrs[k]}`);
    if (extra) words.push(...extra);
    if (this.tag !== undefined) words.push(`.tag=${this.tag}`);
    this.session.write(words);
  }
  re(row: Row): void {
    this.send('!re', row);
  }
  trap(message: string, category?: number): void {
    this.send('!trap', category === undefined ? { message } : { category: String(category), message });
  }
  empty(): void {
    this.send('!empty');
  }
  done(attrs?: Row): void {
    this.send('!done', attrs);
    this.ended = true;
    this.session.finished(this.tag, this);
  }
}

export class Session implements SessionLike {
  readonly id = nextSessionId++;
  readonly device: Device;
  readonly service: ServiceName;
  /** The client's address (kept: a closed socket no longer knows it). */
  readonly remote: string;
  private readonly socket: net.Socket;
  private readonly decoder = new TextSentenceDecoder('win1252');
  private user: Item | undefined;
  private challenge: string | undefined;
  private readonly running = new Map<string, Running>();
  private commands = 0;
  private closed = false;
  private stalled = false; // hugeWord: a word was announced and never sent; nothing more may be written
  private holed = false; // the firewall drops the client's packets: nothing is read or answered
  private queue: Buffer[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(device: Device, socket: net.Socket, service: ServiceName = 'api') {
    this.device = device;
    this.socket = socket;
    this.service = service;
    this.remote = clientAddress(socket);
    device.sessions.add(this);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  /** Bytes waiting in the socket's write buffer (how much a slow reader costs the simulator). */
  get writeBacklog(): number {
    return this.socket.writableLength;
  }

  drop(): void {
    this.socket.destroy();
    this.close();
  }

  /**
   * Black-holed: what the client sends is left unread (kept by TCP: it is processed if the path opens again in
   * time) and nothing more is written. The reply to the command that made the change has already left.
   */
  blackhole(on: boolean): void {
    this.holed = on;
    if (on) this.socket.pause();
    else this.socket.resume();
  }

  /** Queue a reply sentence; with a latency fault, replies leave together after the delay. */
  write(words: string[]): void {
    if (this.closed || this.stalled || this.holed) return;
    const buf = encodeSentence(words);
    const reset = this.device.faults.resetAfterCommands;
    if (reset !== undefined && this.commands > reset) {
      // Cut the connection in the middle of this sentence: half of it, then a TCP reset.
      this.socket.write(buf.subarray(0, Math.max(1, buf.length >> 1)));
      setImmediate(() => {
        this.socket.resetAndDestroy();
        this.close();
      });
      this.closed = true;
      return;
    }
    const latency = this.device.faults.latencyMs ?? 0;
    if (latency <= 0 && this.queue.length === 0) {
      this.socket.write(buf);
      return;
    }
    this.queue.push(buf);
    if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        const q = this.queue;
        this.queue = [];
        if (!this.closed && !this.holed) this.socket.write(q.length === 1 ? (q[0] as Buffer) : Buffer.concat(q));
      }, latency);
    }
  }

  finished(tag: string | undefined, out: TaggedOut): void {
    const key = tag ?? '';
    const r = this.running.get(key);
    if (r && r.out === out) this.running.delete(key);
  }

  private close(): void {
    if (this.closed && !this.device.sessions.has(this)) return;
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    for (const r of this.running.values()) for (const c of r.cleanup) c();
    this.running.clear();
    this.device.sessionEnded(this);
  }

  private onData(chunk: Buffer): void {
    let sentences: string[][];
    try {
      sentences = this.decoder.push(chunk);
    } catch {
      // Garbage on the wire: RouterOS drops the connection.
      this.drop();
      return;
    }
    for (const words of sentences) {
      if (this.closed) return;
      this.handle(words);
    }
  }

  private handle(words: string[]): void {
    const command = words[0] as string;
    let tag: string | undefined;
    const args = new Map<string, string>();
    const query: string[] = [];
    let proplist: string[] | undefined;
    for (let i = 1; i < words.length; i++) {
      const w = words[i] as string;
      if (w.startsWith('.tag=')) tag = w.slice(5);
      else if (w.startsWith('?')) query.push(w);
      else if (w.startsWith('=')) {
        const eq = w.indexOf('=', 1);
        const name = eq < 0 ? w.slice(1) : w.slice(1, eq);
        const value = eq < 0 ? '' : w.slice(eq + 1);
        if (name === '.proplist') proplist = value.split(',').filter((p) => p !== '');
        else args.set(name, value);
      } else if (w.startsWith('.proplist='))
        proplist = w
          .slice(10)
          .split(',')
          .filter((p) => p !== '');
    }
    const out = new TaggedOut(this, tag);
    if (command === '/login') {
      this.login(args, out);
      return;
    }
    if (!this.user) {
      // Not logged in: RouterOS answers `!fatal not logged in` and closes (how scanners recognise it).
      this.write(['!fatal', 'not logged in']);
      this.socket.end();
      this.close();
      return;
    }
    if (command === '/quit') {
      this.write(['!fatal', 'session terminated on request']);
      this.socket.end();
      this.close();
      return;
    }
    this.commands++;
    if (this.device.faults.flood) {
      this.flood(tag, out);
      return;
    }
    const huge = this.device.faults.hugeWord;
    if (huge) {
      this.stalled = true;
      this.socket.write(hugeWordAnnouncement(huge === true ? HUGE_WORD_BYTES : huge));
      return;
    }
    if (this.device.faults.timeout) {
      // Silence: the command stays pending (a /cancel still ends it, as on a busy router).
      this.running.set(tag ?? '', { out, cleanup: [] });
      return;
    }
    if (command === '/cancel') {
      this.cancel(args, out);
      return;
    }
    const [path, verb] = splitCommand(command);
    const user = this.user;
    const caller: Caller = {
      id: this.id,
      userName: ConfigStore.get(user, 'name') ?? '',
      user,
      policies: this.device.policies(user),
      remote: this.remote,
      script: false,
    };
    const running: Running = { out, cleanup: [] };
    this.running.set(tag ?? '', running);
    try {
      dispatch({
        device: this.device,
        caller,
        path,
        verb,
        args,
        query,
        proplist,
        out,
        onCancel: (fn) => running.cleanup.push(fn),
      });
    } catch (e) {
      if (e instanceof CommandError) {
        out.trap(e.message, e.category);
        out.done();
      } else if (e instanceof SelectorError) {
        out.trap(e.message, 1);
        out.done();
      } else {
        out.trap(`failure: ${(e as Error).message}`);
        out.done();
      }
    }
  }

  /** The `flood` fault: rows for this command until the socket closes, the fault is cleared or floodBytes. */
  private flood(tag: string | undefined, out: TaggedOut): void {
    const running: Running = { out, cleanup: [] };
    this.running.set(tag ?? '', running);
    const opts: FloodOptions = {
      // close() already ends running floods; a stalled session (hugeWord) never floods.
      active: () => this.device.faults.flood === true,
      onEnd: () => out.done(),
    };
    if (this.device.faults.floodBytes !== undefined) opts.totalBytes = this.device.faults.floodBytes;
    running.cleanup.push(flood(this.socket, tag, opts));
  }

  private cancel(args: Map<string, string>, out: TaggedOut): void {
    const target = args.get('tag');
    const keys = target === undefined ? [...this.running.keys()] : [target];
    if (target !== undefined && !this.running.has(target)) {
      out.trap('unknown command or tag', 0);
      out.done();
      return;
    }
    for (const key of keys) {
      const r = this.running.get(key);
      if (!r) continue;
      this.running.delete(key);
      for (const c of r.cleanup) c();
      r.out.trap('interrupted', 2);
      r.out.done();
    }
    out.done();
  }

  private login(args: Map<string, string>, out: TaggedOut): void {
    const d = this.device;
    if (d.faults.timeoutLogin) return;
    if (this.user) {
      out.done();
      return;
    }
    const name = args.get('name');
    const user = name !== undefined ? d.findUser(name) : undefined;
    const allowed = user !== undefined && d.policies(user).has('api') && !d.faults.wrongPassword;
    if (d.behaviour.challengeLogin) {
      const response = args.get('response');
      if (response === undefined || name === undefined) {
        // Pre-6.43: any first /login (with or without a password) gets the challenge.
        this.challenge = randomChallenge();
        out.done({ ret: this.challenge });
        return;
      }
      const ok =
        allowed &&
        this.challenge !== undefined &&
        response === expected(ConfigStore.get(user as Item, 'password') ?? '', this.challenge);
      this.challenge = undefined;
      this.loginResult(ok ? user : undefined, name, out, 'cannot log in');
      return;
    }
    const password = args.get('password');
    const ok = allowed && password !== undefined && password === (ConfigStore.get(user as Item, 'password') ?? '');
    this.loginResult(ok ? user : undefined, name ?? '', out, 'invalid user name or password (6)');
  }

  private loginResult(user: Item | undefined, name: string, out: TaggedOut, failure: string): void {
    if (!user) {
      this.device.log('system,error,critical', `login failure for user ${name} from ${this.remote} via api`);
      out.trap(failure);
      out.done();
      return;
    }
    this.user = user;
    this.device.log('system,info,account', `user ${name} logged in from ${this.remote} via api`);
    out.done();
  }
}

/** A socket's peer address, IPv4-mapped IPv6 written as IPv4. */
export function clientAddress(socket: net.Socket): string {
  const a = socket.remoteAddress ?? '?';
  return a.startsWith('::ffff:') ? a.slice(7) : a;
}

function expected(password: string, challengeHex: string): string {
  const md5 = createHash('md5');
  md5.update(Buffer.from([0]));
  md5.update(Buffer.from(password, 'latin1'));
  md5.update(Buffer.from(challengeHex, 'hex'));
  return `00${md5.digest('hex')}`;
}
