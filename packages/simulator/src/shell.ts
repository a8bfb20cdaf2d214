// The interactive RouterOS console over SSH (`ssh router`, a browser terminal): the login banner, the prompt
// (`[admin@MikroTik] > `, the current menu in it), and line editing on a pseudo-terminal — typed characters echoed,
// backspace (0x7f and 0x08) taking back a whole character (a UTF-8 sequence is one), Enter running the line,
// Ctrl-C abandoning it (`interrupted`) or interrupting a command still running, Ctrl-D on an empty line logging
// out. Escape sequences (arrows, function keys, a terminal's answers) and other control keys are swallowed: there
// is no history, completion or cursor movement. Pasted lines run one after another, each echoed as it is read.
// Without a PTY (`ssh -T`) nothing is echoed. Text is bytes: what is typed is kept byte for byte (shell-parse.ts).
// The commands are the console's (shell-run.ts), on the device's own configuration: the API sees every change.
import type { Caller } from './commands/context.js';
import type { Device } from './device.js';
import { consoleBytes, consoleText } from './shell-parse.js';
import { Console, type LineResult } from './shell-run.js';
import type { CliIo } from './shell-special.js';
import { ConfigStore } from './store.js';

export interface ShellTransport {
  /** Sends bytes to the terminal; resolves once the transport took them. */
  write(bytes: Buffer): Promise<void>;
}

export interface ShellOptions {
  /** Terminal width (columns); wraps `print detail`. */
  cols?: number;
  /** Echo what is typed (a PTY was asked for). */
  echo: boolean;
}

const CTRL_C = 0x03;
const CTRL_D = 0x04;
const BACKSPACE = 0x08;
const DELETE = 0x7f;
const ESC = 0x1b;
const CR = 0x0d;
const LF = 0x0a;

/** Bytes a UTF-8 sequence starting with `lead` has (1 for anything that does not start one). */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 1;
}

/** How many bytes at the end of `line` make its last character. */
function lastCharLength(line: number[]): number {
  for (let n = 1; n <= Math.min(4, line.length); n++) {
    const b = line[line.length - n] as number;
    if (b < 0x80 || b >= 0xc0) return sequenceLength(b) === n ? n : 1;
  }
  return 1;
}

/** The banner RouterOS prints after login: the logo, version and help lines (v6), `Press F1 for help` (v7). */
export function banner(device: Device, year = new Date().getUTCFullYear()): string {
  const v = device.version.text;
  const v7 = device.behaviour.v7;
  const site = v7 ? 'https://www.mikrotik.com/' : 'http://www.mikrotik.com/';
  const logo = [
    '  MMM      MMM       KKK                          TTTTTTTTTTT      KKK',
    '  MMMM    MMMM       KKK                          TTTTTTTTTTT      KKK',
    '  MMM MMMM MMM  III  KKK  KKK  RRRRRR     OOOOOO      TTT     III  KKK  KKK',
    '  MMM  MM  MMM  III  KKKKK     RRR  RRR  OOO  OOO     TTT     III  KKKKK',
    '  MMM      MMM  III  KKK KKK   RRRRRR    OOO  OOO     TTT     III  KKK KKK',
    '  MMM      MMM  III  KKK  KKK  RRR  RRR   OOOOOO      TTT     III  KKK  KKK',
  ];
  const lines = ['', '', ...logo, '', `  MikroTik RouterOS ${v} (c) 1999-${year}       ${site}`, ''];
  if (v7) lines.push('Press F1 for help', '');
  else
    lines.push(
      '[?]             Gives the list of available commands',
      'command [?]     Gives help on the command and list of arguments',
      '',
      '[Tab]           Completes the command/word. If the input is ambiguous,',
      '                a second [Tab] gives possible options',
      '',
      '/               Move up to base level',
      '..              Move up one level',
      '/command        Use command at the base level',
      '',
    );
  // The system note, where one is set to show at login.
  const note = device.store.menu('/system/note', false)?.items[0];
  const text = note ? (ConfigStore.get(note, 'note') ?? '') : '';
  if (note && text !== '' && ConfigStore.get(note, 'show-at-login') !== 'no') lines.push(text, '');
  return lines.map((l) => `${l}\r\n`).join('');
}

export class Shell {
  readonly console: Console;
  private queue: Buffer = Buffer.alloc(0);
  private wake: (() => void) | undefined;
  private ended = false;
  private echoed: number[] = [];
  /** Ctrl-C handlers of the command running now. */
  private readonly interrupts = new Set<() => void>();
  private lastWasCr = false;

  constructor(
    readonly device: Device,
    caller: Caller,
    private readonly out: ShellTransport,
    private readonly options: ShellOptions,
  ) {
    this.console = new Console(device, caller);
    this.console.cols = options.cols ?? 80;
  }

  /** Bytes from the terminal. While a command runs, Ctrl-C interrupts it; everything else waits its turn. */
  feed(chunk: Buffer): void {
    let data = chunk;
    if (this.interrupts.size > 0) {
      const at = data.indexOf(CTRL_C);
      if (at >= 0) {
        for (const f of [...this.interrupts]) f();
        data = data.subarray(at + 1);
      }
    }
    this.queue = this.queue.length === 0 ? Buffer.from(data) : Buffer.concat([this.queue, data]);
    this.wakeUp();
  }

  /** The terminal is gone (channel closed or end of input). */
  close(): void {
    this.ended = true;
    for (const f of [...this.interrupts]) f();
    this.wakeUp();
  }

  resize(cols: number): void {
    if (cols > 0) this.console.cols = cols;
  }

  /** Banner, then prompt and line after line until quit, Ctrl-D, a reboot or the end of input. */
  async run(): Promise<LineResult> {
    await this.write(banner(this.device));
    const io: CliIo = {
      write: (text) => this.write(text),
      readKey: () => this.readKey(),
      interactive: this.options.echo,
      onInterrupt: (fn) => {
        this.interrupts.add(fn);
        return () => this.interrupts.delete(fn);
      },
    };
    for (;;) {
      await this.write(this.console.prompt());
      const line = await this.readLine();
      if (line === undefined) return { quit: true };
      const r = await this.console.run(line, 1, io);
      if (r.quit || r.reboot) return r;
    }
  }

  private write(text: string): Promise<void> {
    return this.out.write(consoleBytes(text));
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  /** The next byte typed; undefined once the terminal is gone. Echo gathered so far leaves before waiting. */
  private async next(): Promise<number | undefined> {
    while (this.queue.length === 0) {
      if (this.ended) return undefined;
      await this.flushEcho();
      await new Promise<void>((r) => {
        this.wake = r;
      });
    }
    const b = this.queue[0] as number;
    this.queue = this.queue.subarray(1);
    return b;
  }

  private echo(...bytes: number[]): void {
    if (this.options.echo) this.echoed.push(...bytes);
  }

  private async flushEcho(): Promise<void> {
    if (this.echoed.length === 0) return;
    const bytes = Buffer.from(this.echoed);
    this.echoed = [];
    await this.out.write(bytes);
  }

  /** A confirmation's key (`Reboot, yes? [y/N]`): the next byte, escape sequences skipped. */
  private async readKey(): Promise<string | undefined> {
    for (;;) {
      const b = await this.next();
      if (b === undefined) return undefined;
      if (b === ESC) {
        await this.skipEscape();
        continue;
      }
      return String.fromCharCode(b);
    }
  }

  /** Swallows the rest of an escape sequence: CSI (`ESC [ … final`), SS3 (`ESC O x`) or `ESC x`. */
  private async skipEscape(): Promise<void> {
    const kind = await this.next();
    if (kind === 0x5b) {
      for (let b = await this.next(); b !== undefined && !(b >= 0x40 && b <= 0x7e); b = await this.next()) {}
    } else if (kind === 0x4f) await this.next();
  }

  /** One edited line, as text; undefined for Ctrl-D on an empty line or the end of input. */
  private async readLine(): Promise<string | undefined> {
    const line: number[] = [];
    let pending: number[] = []; // a UTF-8 sequence not yet complete
    for (;;) {
      const b = await this.next();
      if (b === undefined) return undefined;
      const afterCr = this.lastWasCr;
      this.lastWasCr = b === CR;
      if (b === LF && afterCr) continue; // CR LF is one Enter
      if (b === CR || b === LF) {
        this.echo(CR, LF);
        await this.flushEcho();
        return consoleText(Buffer.from(line));
      }
      if (b === CTRL_C) {
        await this.flushEcho();
        await this.write('\r\ninterrupted\r\n');
        return '';
      }
      if (b === CTRL_D) {
        if (line.length === 0 && pending.length === 0) {
          await this.flushEcho();
          await this.write('\r\n');
          return undefined;
        }
        continue;
      }
      if (b === DELETE || b === BACKSPACE) {
        pending = [];
        if (line.length > 0) {
          line.splice(line.length - lastCharLength(line));
          this.echo(BACKSPACE, 0x20, BACKSPACE);
        }
        continue;
      }
      if (b === ESC) {
        await this.skipEscape();
        continue;
      }
      if (b < 0x20) continue;
      if (b >= 0x80) {
        if (b >= 0xc0) pending = [b];
        else if (pending.length > 0) pending.push(b);
        else pending = [];
        if (pending.length > 0 && pending.length === sequenceLength(pending[0] as number)) {
          line.push(...pending);
          this.echo(...pending);
          pending = [];
        } else if (pending.length === 0 || sequenceLength(pending[0] as number) === 1) {
          // A byte that starts no sequence (or a stray continuation): kept as it is.
          line.push(b);
          this.echo(b);
          pending = [];
        }
        continue;
      }
      pending = [];
      line.push(b);
      this.echo(b);
    }
  }
}
