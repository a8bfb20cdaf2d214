// Faults on purpose, set at start or at run time through the library API, seen by our client over TCP.
import {
  AuthError,
  ClosedError,
  ConnectError,
  ReplyLimitError,
  RouterOSProtocolError,
  TextSentenceDecoder,
  TimeoutError,
} from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import type { Session } from '../src/session.js';
import { connect, rawLogin } from './helpers.js';

let fleet: Fleet;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  fleet = await startFleet({
    devices: 6,
    tls: false,
    base: { users: [{ name: 'admin', password: 'pw' }], rebootDelayMs: 300 },
    spec: (i) => (i === 5 ? { faults: { wrongPassword: true } } : {}),
  });
});
afterAll(() => fleet.stop());

describe('faults', () => {
  it('wrong password (set at start): valid credentials are rejected', async () => {
    await expect(connect(fleet.devices[5]!)).rejects.toBeInstanceOf(AuthError);
    fleet.device(5).setFault({ wrongPassword: undefined });
    const c = await connect(fleet.devices[5]!);
    await c.close();
  });

  it('latency delays every reply', async () => {
    const d = fleet.device(0);
    const c = await connect(fleet.devices[0]!);
    d.setFault({ latencyMs: 150 });
    const t0 = Date.now();
    await c.command('/system/identity/print');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    d.setFault({ latencyMs: undefined });
    await c.close();
  });

  it('timeout: commands are never answered (the client times out); /cancel still ends them', async () => {
    const d = fleet.device(1);
    const c = await connect(fleet.devices[1]!);
    d.setFault({ timeout: true });
    await expect(c.command('/system/resource/print', undefined, { timeoutMs: 200 })).rejects.toBeInstanceOf(
      TimeoutError,
    );
    d.setFault({ timeout: undefined });
    // The session still works afterwards.
    expect(await c.command('/system/identity/print')).toHaveLength(1);
    await c.close();
  });

  it('reset mid-sentence: the connection dies inside a reply', async () => {
    const d = fleet.device(2);
    const c = await connect(fleet.devices[2]!);
    d.setFault({ resetAfterCommands: 1 });
    await c.command('/system/identity/print'); // command 1 is answered
    const err = await c.command('/interface/print').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClosedError);
    // Either the RST is reported, or the close is noticed first with a sentence half-read.
    expect(`${(err as ClosedError).code}: ${(err as Error).message}`).toMatch(/^reset|middle of a sentence/);
    // On the wire: some bytes of a reply arrive, the sentence is incomplete, then the connection is gone.
    const raw = await rawLogin(fleet.devices[2]!);
    const decoder = new TextSentenceDecoder();
    let bytes = 0;
    raw.socket.removeAllListeners('data');
    raw.socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      decoder.push(chunk);
    });
    d.setFault({ resetAfterCommands: 0 });
    raw.send('/system/resource/print');
    await new Promise((r) => raw.socket.once('close', r));
    expect(bytes).toBeGreaterThan(0);
    expect(decoder.idle).toBe(false);
    d.setFault({ resetAfterCommands: undefined });
  });

  it('refuse: connections are refused and open sessions drop; clearing restores service', async () => {
    const d = fleet.device(3);
    const c = await connect(fleet.devices[3]!);
    const closed = new Promise<Error>((r) => c.once('close', r));
    d.setFault({ refuse: true });
    expect(await closed).toBeInstanceOf(ClosedError);
    const err = await connect(fleet.devices[3]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as ConnectError).code).toBe('ECONNREFUSED');
    d.setFault({ refuse: undefined });
    await sleep(20);
    const again = await connect(fleet.devices[3]!);
    await again.close();
  });

  it('flapping: the device goes down and up periodically', async () => {
    const d = fleet.device(4);
    d.setFault({ flap: { upMs: 150, downMs: 150 } });
    const outcomes = new Set<string>();
    for (let i = 0; i < 20 && outcomes.size < 2; i++) {
      try {
        const c = await connect(fleet.devices[4]!, { connectTimeoutMs: 500 });
        outcomes.add('up');
        await c.close();
      } catch (e) {
        expect(e).toBeInstanceOf(ConnectError);
        outcomes.add('down');
      }
      await sleep(40);
    }
    expect(outcomes).toEqual(new Set(['up', 'down']));
    d.setFault({ flap: undefined });
    await sleep(20);
    const c = await connect(fleet.devices[4]!);
    await c.close();
  });

  it('slow exports take at least the configured time', async () => {
    const d = fleet.device(0);
    d.setFault({ slowExportMs: 250 });
    const c = await connect(fleet.devices[0]!);
    const t0 = Date.now();
    await c.command('/export', { file: 'slow' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(240);
    expect(d.fileContents('slow.rsc')).toMatch(/by RouterOS/);
    d.clearFaults();
    await c.close();
  });

  it('reboot: sessions drop, connections are refused for the delay, then uptime restarts with config intact', async () => {
    const d = fleet.device(0);
    d.bootAt -= 3_600_000; // pretend it has been up an hour
    const c = await connect(fleet.devices[0]!);
    await c.command('/system/identity/set', { name: 'before-reboot' });
    const [before] = await c.command('/system/resource/print');
    expect(before?.uptime).toMatch(/^1h/);
    const closed = new Promise<Error>((r) => c.once('close', r));
    c.command('/system/reboot').catch(() => {});
    expect(await closed).toBeInstanceOf(ClosedError);
    await expect(connect(fleet.devices[0]!)).rejects.toBeInstanceOf(ConnectError);
    await sleep(400);
    const after = await connect(fleet.devices[0]!);
    const [res] = await after.command('/system/resource/print');
    expect(res?.uptime).toMatch(/^\d+s$|^\d+s\d+ms$|^0s$/);
    expect((await after.command('/system/identity/print'))[0]?.name).toBe('before-reboot');
    const log = await after.command('/log/print');
    expect(log.map((l) => l.message)).toContain('system rebooted by request');
    await after.close();
  });

  it('fleet-wide faults apply to every device', async () => {
    fleet.setFault({ wrongPassword: true });
    await expect(connect(fleet.devices[1]!)).rejects.toBeInstanceOf(AuthError);
    await expect(connect(fleet.devices[2]!)).rejects.toBeInstanceOf(AuthError);
    fleet.setFault({ wrongPassword: undefined });
    const c = await connect(fleet.devices[2]!);
    await c.close();
  });

  it('flood: endless ~1 KB rows after login; the client cuts it at its limit and closes the session', async () => {
    const d = fleet.device(3);
    const c = await connect(fleet.devices[3]!, { maxReplyBytes: 1 << 20 });
    d.setFault({ flood: true });
    const err = await c.command('/interface/print').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReplyLimitError);
    expect(c.closed).toBe(true);
    // Every command of every session is flooded (`/cancel` too: only closing stops it).
    const c2 = await connect(fleet.devices[3]!, { maxReplyBytes: 1 << 20 });
    expect(await c2.command('/system/identity/print').catch((e: unknown) => e)).toBeInstanceOf(ReplyLimitError);
    d.setFault({ flood: undefined });
    await sleep(20);
    const ok = await connect(fleet.devices[3]!);
    expect(await ok.command('/system/identity/print')).toHaveLength(1);
    await ok.close();
  });

  it('flood respects backpressure: a peer that stops reading costs the simulator one socket buffer', async () => {
    const d = fleet.device(3);
    const raw = await rawLogin(fleet.devices[3]!);
    const session = [...d.sessions].at(-1) as Session;
    raw.socket.pause();
    d.setFault({ flood: true });
    raw.send('/interface/print', '.tag=1');
    let sent = 0;
    await sleep(100);
    for (let i = 0; i < 10; i++) {
      sent = Math.max(sent, session.writeBacklog);
      await sleep(20);
    }
    expect(sent).toBeGreaterThan(0); // it did try to flood
    expect(sent).toBeLessThan(1 << 20);
    // Clearing the fault ends the flood with !done once the peer reads again.
    d.setFault({ flood: undefined });
    raw.socket.resume();
    const got = await raw.untilDone('1');
    expect(got.length).toBeGreaterThan(1);
    expect(got.at(-2)?.[0]).toBe('!re');
    raw.close();
  });

  it('floodBytes bounds each flood: a huge but finite reply ended by !done', async () => {
    const d = fleet.device(3);
    d.setFault({ flood: true, floodBytes: 200_000 });
    const c = await connect(fleet.devices[3]!);
    const rows = await c.command('/interface/print');
    expect(rows.length).toBeGreaterThan(150);
    expect(rows[0]?.data).toHaveLength(1000);
    d.setFault({ flood: undefined, floodBytes: undefined });
    await c.close();
  });

  it('hugeWord: a 16 MiB word is announced and never sent', async () => {
    const d = fleet.device(3);
    const c = await connect(fleet.devices[3]!);
    d.setFault({ hugeWord: true });
    // Over the client's default word limit: refused on the announcement.
    const err = await c.command('/interface/print').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterOSProtocolError);
    expect((err as RouterOSProtocolError).code).toBe('word_too_long');
    // A client that accepts such words waits for bytes that never come, and times out.
    const patient = await connect(fleet.devices[3]!, { maxWordBytes: 32 << 20 });
    const t = await patient.command('/interface/print', undefined, { timeoutMs: 200 }).catch((e: unknown) => e);
    expect(t).toBeInstanceOf(TimeoutError);
    // The session stays stalled (nothing else is written), even once the fault is cleared; new sessions work.
    d.setFault({ hugeWord: undefined });
    expect(
      await patient.command('/system/identity/print', undefined, { timeoutMs: 200 }).catch((e: unknown) => e),
    ).toBeInstanceOf(TimeoutError);
    patient.destroy();
    const ok = await connect(fleet.devices[3]!);
    expect(await ok.command('/system/identity/print')).toHaveLength(1);
    await ok.close();
  });

  it('hugeWord with a size: the announced length is on the wire', async () => {
    const d = fleet.device(3);
    const raw = await rawLogin(fleet.devices[3]!);
    const bytes: Buffer[] = [];
    raw.socket.removeAllListeners('data');
    raw.socket.on('data', (b: Buffer) => bytes.push(b));
    d.setFault({ hugeWord: 5_000_000 });
    raw.send('/interface/print', '.tag=1');
    await sleep(100);
    d.setFault({ hugeWord: undefined });
    // '!re' (3 bytes), then 5 000 000 as a 4-byte length prefix, then nothing.
    expect(Buffer.concat(bytes).toString('hex')).toBe(`03${Buffer.from('!re').toString('hex')}e04c4b40`);
    raw.close();
  });
});
