import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import net from 'node:net';
import { join, resolve } from 'node:path';
import { TextSentenceDecoder } from '@tod/routeros';
import { saveDevice } from '../device-access/helpers.js';
import { serverRoot, spawnTod } from '../helpers/cli.js';
import type { TestContext } from '../helpers/context.js';

// The large shape on one machine: `tod` processes per role, `tod-sim` processes, a nats-server that can be killed
// and started again on the same port and store, and a tap in front of every simulated device that records what
// the devices answered, so the test can compare it with what reached the database.

// --- processes -------------------------------------------------------------------------------------------------

/** A child process whose output goes to a file in `dir` (kept for a failed run), and whether it said `marker`. */
export type Proc = { name: string; child: ChildProcess; logFile: string; said: (marker: string) => boolean };

function track(name: string, child: ChildProcess, dir: string): Proc {
  const logFile = join(dir, `${name}.log`);
  const file = createWriteStream(logFile);
  // Start-up lines are all this reads; the file keeps the rest.
  let head = '';
  const keep = (c: Buffer) => {
    file.write(c);
    if (head.length < 200_000) head += c.toString();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('exit', () => file.end());
  return { name, child, logFile, said: (marker) => head.includes(marker) };
}

export const alive = (p: Proc) => p.child.exitCode === null && p.child.signalCode === null;

/** Waits for the process to say `marker`; throws if it exits first or `ms` passes. */
export async function waitSaid(p: Proc, marker: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!p.said(marker)) {
    if (!alive(p)) throw new Error(`${p.name} exited (${p.child.exitCode ?? p.child.signalCode}); see ${p.logFile}`);
    if (Date.now() > until) throw new Error(`${p.name} did not say ${marker} in ${ms} ms; see ${p.logFile}`);
    await sleep(100);
  }
}

export async function stopProc(p: Proc, signal: NodeJS.Signals = 'SIGTERM', ms = 30_000): Promise<void> {
  if (!alive(p)) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), ms);
  await exited;
  clearTimeout(timer);
}

/** `tod start --roles <role>`; it says "TOD started" (info level) once every part of the role runs. */
export function startTod(name: string, role: string, env: Record<string, string>, dir: string): Proc {
  return track(name, spawnTod(['start', '--roles', role], { ...env, LOG_LEVEL: 'info' }), dir);
}

export type SimDevice = {
  index: number;
  address: string;
  port: number;
  sshPort: number;
  username: string;
  password: string;
  version: string;
};

/** A `tod-sim` process (the CLI, from sources); resolves with the devices it prints as JSON. */
export async function startSim(name: string, args: string[], dir: string): Promise<Proc & { devices: SimDevice[] }> {
  const cli = resolve(serverRoot, '../../packages/simulator/src/cli.ts');
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', cli, ...args], {
    cwd: serverRoot,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const p = track(name, child, dir);
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    try {
      return { ...p, devices: JSON.parse(out) as SimDevice[] };
    } catch {}
    if (!alive(p)) throw new Error(`${name} exited; see ${p.logFile}`);
    await sleep(100);
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not list its devices; see ${p.logFile}`);
}

// --- NATS ------------------------------------------------------------------------------------------------------

/** A nats-server with JetStream on a fixed port and store directory, so a restart finds its streams again. */
export class NatsServer {
  private proc: Proc | undefined;
  private runs = 0;
  constructor(
    readonly port: number,
    private readonly storeDir: string,
    private readonly logDir: string,
  ) {
    mkdirSync(storeDir, { recursive: true });
  }
  get url() {
    return `nats://127.0.0.1:${this.port}`;
  }
  async start(): Promise<void> {
    const child = spawn('nats-server', ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.storeDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = track(`nats-${++this.runs}`, child, this.logDir);
    const until = Date.now() + 15_000;
    while (!(await portOpen(this.port))) {
      if (!alive(this.proc) || Date.now() > until)
        throw new Error(`nats-server did not start; see ${this.proc.logFile}`);
      await sleep(50);
    }
  }
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.proc) await stopProc(this.proc, signal);
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      r(true);
    });
    s.on('error', () => r(false));
  });
}

// --- taps --------------------------------------------------------------------------------------------------------

/**
 * A TCP relay on loopback in front of one device port. Bytes pass unchanged in both directions; `observe` sees each
 * connection's chunks as they pass.
 */
async function relay(
  target: number,
  observe: (c: { fromClient: (f: (b: Buffer) => void) => void; fromDevice: (f: (b: Buffer) => void) => void }) => {
    closed: () => void;
  },
) {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const device = net.connect(target, '127.0.0.1');
    sockets.add(client);
    sockets.add(device);
    const seen = observe({
      fromClient: (f) => client.on('data', f),
      fromDevice: (f) => device.on('data', f),
    });
    client.pipe(device);
    device.pipe(client);
    let done = false;
    const end = () => {
      if (!done) seen.closed();
      done = true;
      client.destroy();
      device.destroy();
      sockets.delete(client);
      sockets.delete(device);
    };
    client.on('error', end).on('close', end);
    device.on('error', end).on('close', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** One API connection as the tap saw it. */
export type TapConnection = {
  opened: number;
  closed: number | null;
  /** Sent `/system/health/print`: only the poller's collection does (features/poller/collect.ts). */
  polls: boolean;
  /** When the device finished answering each `/system/resource/print` (`!done` without a `!trap`). */
  answers: number[];
};

/**
 * A tap on a device's API port. Every poll sends exactly one `/system/resource/print` and a poll result carries a
 * health sample exactly when that command was answered (collect.ts), so the answers on poll sessions are the polls
 * the device served, independent of anything TOD records.
 */
export async function apiTap(target: number) {
  const connections: TapConnection[] = [];
  let parseErrors = 0;
  const r = await relay(target, ({ fromClient, fromDevice }) => {
    const conn: TapConnection = { opened: Date.now(), closed: null, polls: false, answers: [] };
    connections.push(conn);
    const asked = new Set<string>();
    const parse = (decoder: TextSentenceDecoder, on: (words: string[]) => void) => {
      let failed = false;
      return (chunk: Buffer) => {
        if (failed) return;
        try {
          for (const words of decoder.push(chunk)) on(words);
        } catch {
          failed = true;
          parseErrors++;
        }
      };
    };
    fromClient(
      parse(new TextSentenceDecoder('win1252'), (words) => {
        if (words[0] === '/system/health/print') conn.polls = true;
        if (words[0] === '/system/resource/print') asked.add(tagOf(words));
      }),
    );
    fromDevice(
      parse(new TextSentenceDecoder('win1252'), (words) => {
        const tag = tagOf(words);
        if (!asked.has(tag)) return;
        // A trap is followed by its own `!done`: that command was not answered.
        if (words[0] === '!trap' || words[0] === '!fatal') asked.delete(tag);
        else if (words[0] === '!done') {
          asked.delete(tag);
          conn.answers.push(Date.now());
        }
      }),
    );
    return { closed: () => (conn.closed = Date.now()) };
  });
  return { ...r, connections, parseErrors: () => parseErrors };
}
export type ApiTap = Awaited<ReturnType<typeof apiTap>>;

const tagOf = (words: string[]) => words.find((w) => w.startsWith('.tag='))?.slice(5) ?? '';

/** A tap on a device's SSH port: the times connections were opened (a backup attempt opens one: capture.ts). */
export async function sshTap(target: number) {
  const opened: number[] = [];
  const r = await relay(target, () => {
    opened.push(Date.now());
    return { closed: () => {} };
  });
  return { ...r, opened };
}
export type SshTap = Awaited<ReturnType<typeof sshTap>>;

// --- devices -----------------------------------------------------------------------------------------------------

/** Devices reached through their taps (plain API, SSH), as the poller fixture adds them: straight into the table. */
export async function addTappedDevices(
  ctx: TestContext,
  tenantId: string,
  devices: Array<{ name: string; apiPort: number; sshPort: number; username: string; password: string }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const d of devices)
    ids.push(
      await saveDevice(ctx, tenantId, {
        name: d.name,
        host: '127.0.0.1',
        port: d.apiPort,
        sshPort: d.sshPort,
        username: d.username,
        password: d.password,
      }),
    );
  return ids;
}

// --- HTTP --------------------------------------------------------------------------------------------------------

/** A request to a real api process. */
export async function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : {} };
}

// --- analysis ----------------------------------------------------------------------------------------------------

/**
 * Pairs the polls a device answered with the poll results stored for it. A result's time is when its poll started
 * (poll.ts), which is before the answer and at most `maxLeadMs` before it (connect, login, the command); polls of
 * one device do not overlap, so each answer belongs to the latest result at or before it. When that one is taken
 * already (by the previous answer) or too early, this answer's result is missing.
 * Returns the answers without a result (lost) and the results without an answer (which the tap cannot explain).
 */
export function pairPolls(answers: number[], results: number[], maxLeadMs: number) {
  const sorted = [...results].sort((a, b) => a - b);
  const used = new Array<boolean>(sorted.length).fill(false);
  const lost: number[] = [];
  for (const a of [...answers].sort((x, y) => x - y)) {
    let i = sorted.length - 1;
    while (i >= 0 && sorted[i]! > a) i--;
    if (i >= 0 && !used[i] && a - sorted[i]! <= maxLeadMs) used[i] = true;
    else lost.push(a);
  }
  return { lost, unexplained: sorted.filter((_, i) => !used[i]) };
}

/** The longest stretch of [from, to] without one of `times` in it, and where it ends. */
export function longestGap(times: number[], from: number, to: number): { ms: number; endsAt: number } {
  let prev = from;
  let worst = { ms: 0, endsAt: from };
  for (const t of [...times.filter((x) => x >= from && x <= to), to].sort((a, b) => a - b)) {
    if (t - prev > worst.ms) worst = { ms: t - prev, endsAt: t };
    prev = t;
  }
  return worst;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
