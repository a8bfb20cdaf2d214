// A terminal for the simulator's shell tests: ssh2's Client with a PTY (`shell({ term, cols, rows })`), as TOD's
// browser terminal opens it. It keeps everything the device sent (as UTF-8 text, what a terminal shows), types bytes,
// and waits for the next prompt.
import type { ClientChannel } from 'ssh2';
import type { DeviceInfo } from '../src/index.js';
import { type SshLogin, sshConnect } from './ssh-helpers.js';

/** A prompt at the end of the output: `[admin@MikroTik] > `, `[admin@MikroTik] /ip address> `. */
export const PROMPT = /\[[^\]\r\n]+@[^\]\r\n]*\][^\r\n]*> $/;

export class Terminal {
  private out = Buffer.alloc(0);
  private waiters: Array<() => void> = [];
  closed = false;

  private constructor(
    readonly channel: ClientChannel,
    readonly end: () => void,
  ) {
    channel.on('data', (b: Buffer) => {
      this.out = Buffer.concat([this.out, b]);
      this.wake();
    });
    channel.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static async open(
    d: DeviceInfo,
    o: SshLogin & { cols?: number; rows?: number; pty?: boolean } = {},
  ): Promise<Terminal> {
    const c = await sshConnect(d, o);
    c.on('error', () => {});
    const window = { term: 'xterm-256color', cols: o.cols ?? 80, rows: o.rows ?? 24, width: 0, height: 0 };
    const ch = await new Promise<ClientChannel>((resolve, reject) => {
      const cb = (e: Error | undefined, s: ClientChannel) => (e ? reject(e) : resolve(s));
      if (o.pty === false) c.shell(false, cb);
      else c.shell(window, cb);
    });
    const t = new Terminal(ch, () => c.end());
    await t.waitFor(PROMPT);
    return t;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** Everything received so far, as a UTF-8 terminal shows it. */
  text(): string {
    return this.out.toString('utf8');
  }

  /** Everything received so far, as bytes. */
  bytes(): Buffer {
    return this.out;
  }

  type(s: string | Buffer): void {
    this.channel.write(s);
  }

  /** Waits until the text from character `from` on matches `re`; returns that text. */
  async waitFor(re: RegExp, from = 0, timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const t = this.text().slice(from);
      if (re.test(t)) return t;
      if (this.closed) throw new Error(`closed before ${re} (got ${JSON.stringify(t)})`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re} (got ${JSON.stringify(t)})`);
      await new Promise<void>((r) => {
        const timer = setTimeout(r, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  /** Waits for the channel to close. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('the shell did not close');
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          r();
        });
      });
    }
  }

  /**
   * Types `line` and Enter, waits for the next prompt; returns what the command printed (between the echoed line
   * and the prompt) and the prompt.
   */
  async run(line: string, timeoutMs = 5000): Promise<{ output: string; prompt: string }> {
    const from = this.text().length;
    this.type(`${line}\r`);
    const all = await this.waitFor(PROMPT, from, timeoutMs);
    const body = all.slice(all.indexOf('\r\n') + 2);
    const promptAt = body.lastIndexOf('\r\n') + 2; // 1: the prompt is the only line
    return { output: promptAt === 1 ? '' : body.slice(0, promptAt), prompt: body.slice(promptAt === 1 ? 0 : promptAt) };
  }

  close(): void {
    this.end();
  }
}
