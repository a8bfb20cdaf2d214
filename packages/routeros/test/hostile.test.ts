// The client against routers that flood, announce huge words, or send oversized sentences: commands fail with
// typed errors, the session is closed, and memory stays bounded (measured after a forced collection, with
// generous bounds: the point is "tens of MB", not "hundreds").
import { afterEach, describe, expect, it } from 'vitest';
import {
  ClosedError,
  DEFAULT_MAX_REPLY_BYTES,
  DEFAULT_MAX_REPLY_ROWS,
  encodeSentence,
  encodeWord,
  ReplyLimitError,
  type RouterOSError,
  RouterOSProtocolError,
  TimeoutError,
} from '../src/index.js';
import {
  flood,
  type HostileHandler,
  HostileRouter,
  memory,
  peakSampler,
  pump,
  rows,
  send,
} from './helpers/hostile-router.js';
import { connectPlain, rejection, waitFor } from './helpers/util.js';

const MiB = 1024 * 1024;
let router: HostileRouter | undefined;
afterEach(async () => {
  await router?.close();
  router = undefined;
});

async function start(handler: HostileHandler, opts?: { login?: 'accept' | 'handler' }): Promise<number> {
  router = new HostileRouter(handler, opts);
  return router.listen();
}

describe('a router that floods rows', () => {
  it('default caps: ReplyLimitError (bytes), the socket is closed, rows are released, memory stays bounded', async () => {
    expect(DEFAULT_MAX_REPLY_BYTES).toBe(32 * MiB);
    expect(DEFAULT_MAX_REPLY_ROWS).toBe(200_000);
    const port = await start((conn, path, tag) => {
      if (path === '/hang') return; // answered never: shows what happens to other pending commands
      flood(conn, tag);
    });
    const c = await connectPlain(port, { commandTimeoutMs: 60_000 });
    const before = memory();
    const sampler = peakSampler();
    const other = rejection(c.command('/hang'));
    const err = await rejection(c.command('/interface/print'));
    const peak = sampler.stop();
    expect(err).toBeInstanceOf(ReplyLimitError);
    expect(err.name).toBe('ReplyLimitError');
    expect(err.code).toBe('reply_too_large');
    expect(err).toMatchObject({ limit: 'bytes', max: 32 * MiB, path: '/interface/print' });
    expect(err.message).toBe('/interface/print: reply exceeded the limit of 33554432 bytes; session closed');
    expect(c.closed).toBe(true);
    const pending = await other;
    expect(pending).toBeInstanceOf(ClosedError);
    expect(pending.code).toBe('reply_limit');
    await router!.connections[0]!.closed; // the fake sees the connection end
    // The router offered about the cap before the client stopped it (the cap also charges 32 bytes per word, so the
    // wire bytes may end a little below 32 MiB); what the client held peaked near that and is let go afterwards.
    expect(router!.connections[0]!.sent).toBeGreaterThan(30 * MiB);
    expect((peak - before.heap - before.arrayBuffers) / MiB).toBeLessThan(160);
    const after = memory();
    expect((after.heap - before.heap) / MiB).toBeLessThan(8);
  }, 60_000);

  it('rows of many tiny attributes are counted at their memory cost, not their few wire bytes', async () => {
    // 40 words of 4-6 bytes per row: 32 MiB of such words grew the heap by ~270 MB when only their bytes counted.
    let k = 0;
    const port = await start((conn, _path, tag) => {
      const row = () => {
        const words = ['!re'];
        for (let i = 0; i < 40; i++) words.push(`=k${(k++ % 5000).toString(36)}=`);
        return encodeSentence([...words, `.tag=${tag}`]);
      };
      pump(conn, Buffer.concat(Array.from({ length: 64 }, row)));
    });
    const c = await connectPlain(port, { commandTimeoutMs: 60_000 });
    const before = memory();
    const sampler = peakSampler();
    const err = await rejection(c.command('/x'));
    const peak = sampler.stop();
    expect(err).toMatchObject({ code: 'reply_too_large', limit: 'bytes' });
    expect((peak - before.heap - before.arrayBuffers) / MiB).toBeLessThan(120);
  }, 60_000);

  it('per-command maxRows / maxBytes override the client defaults; the limit named is the one passed', async () => {
    const port = await start((conn, _path, tag) => flood(conn, tag, 0)); // rows with no attributes
    const c = await connectPlain(port);
    const err = await rejection(c.command('/ip/route/print', undefined, { maxRows: 1000 }));
    expect(err).toMatchObject({ code: 'reply_too_large', limit: 'rows', max: 1000 });
    const c2 = await connectPlain(port, { maxReplyRows: 10 });
    expect(await rejection(c2.command('/x'))).toMatchObject({ limit: 'rows', max: 10 });
    const c3 = await connectPlain(port, { maxReplyRows: 10 });
    expect(await rejection(c3.command('/x', undefined, { maxRows: 50 }))).toMatchObject({ max: 50 });
  });

  it('client-wide maxReplyBytes, and a per-command maxBytes above it', async () => {
    const port = await start((conn, path, tag) => {
      if (path === '/small') {
        // 100 rows of 1 KB, then done: fits a 200 KB limit, not a 64 KB one.
        send(conn, Buffer.concat([rows(tag, 100), encodeSentence(['!done', `.tag=${tag}`])]));
      } else flood(conn, tag);
    });
    const c = await connectPlain(port, { maxReplyBytes: 64 * 1024 });
    expect(await c.command('/small', undefined, { maxBytes: 200 * 1024 })).toHaveLength(100);
    expect(await rejection(c.command('/small'))).toMatchObject({ limit: 'bytes', max: 64 * 1024 });
    expect(c.closed).toBe(true);
  });

  it('a flood during login fails the connect with ReplyLimitError', async () => {
    const port = await start((conn, _path, tag) => flood(conn, tag), { login: 'handler' });
    const err = await rejection(connectPlain(port, { maxReplyBytes: MiB }));
    expect(err).toBeInstanceOf(ReplyLimitError);
    expect((err as ReplyLimitError).path).toBe('/login');
    await router!.connections[0]!.closed;
  });
});

describe('replies nobody waits for', () => {
  it('untagged rows are dropped and counted; past maxReplyBytes the session is closed', async () => {
    const port = await start((conn) => flood(conn, undefined));
    const c = await connectPlain(port, { maxReplyBytes: MiB });
    const err = await rejection(c.command('/x'));
    expect(err).toBeInstanceOf(ClosedError);
    expect(err.code).toBe('reply_limit');
    expect(err.message).toMatch(/unclaimed replies/);
  });

  it('late rows for a timed-out command: a few then !done are fine, an endless stream closes the session', async () => {
    const port = await start((conn, path, tag) => {
      if (path === '/cancel') return; // ignored, as a hostile router would
      if (path === '/late') {
        setTimeout(() => send(conn, Buffer.concat([rows(tag, 20), encodeSentence(['!done', `.tag=${tag}`])])), 150);
      } else if (path === '/endless') setTimeout(() => flood(conn, tag), 150);
      else send(conn, Buffer.concat([rows(tag, 1, 1), encodeSentence(['!done', `.tag=${tag}`])]));
    });
    const c = await connectPlain(port, { maxReplyBytes: 64 * 1024, commandTimeoutMs: 100 });
    // 20 KB of late rows four times, each ended by !done: under 64 KB each time, and the count restarts at !done.
    for (let i = 0; i < 4; i++) {
      expect(await rejection(c.command('/late'))).toBeInstanceOf(TimeoutError);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(c.closed).toBe(false);
    expect(await c.command('/ok')).toEqual([{ data: 'x' }]);
    expect(await rejection(c.command('/endless'))).toBeInstanceOf(TimeoutError);
    const closed = await new Promise<Error>((r) => c.once('close', r));
    expect(closed).toMatchObject({ code: 'reply_limit' });
  });
});

describe('a router announcing huge words', () => {
  const announce16MiB = Buffer.from([0xf0, 0x01, 0x00, 0x00, 0x00]); // 5-byte form: 16 MiB

  it('over the word limit (default 8 MiB): ProtocolError word_too_long at once, session closed', async () => {
    const port = await start((conn) => send(conn, Buffer.concat([encodeWord('!re'), announce16MiB])));
    const c = await connectPlain(port);
    const err = await rejection(c.command('/x'));
    expect(err).toBeInstanceOf(RouterOSProtocolError);
    expect(err.code).toBe('word_too_long');
    expect(c.closed).toBe(true);
  });

  it('within the limit and never sent: costs what arrived; the command times out cleanly', async () => {
    const port = await start((conn) => send(conn, Buffer.concat([encodeWord('!re'), announce16MiB])));
    const c = await connectPlain(port, { maxWordBytes: 16 * MiB, maxSentenceBytes: 32 * MiB });
    const before = memory();
    const err = await rejection(c.command('/x', undefined, { timeoutMs: 300 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.code).toBe('command_timeout');
    const after = memory();
    // The old decoder allocated the 16 MiB at the announcement.
    expect((after.arrayBuffers - before.arrayBuffers) / MiB).toBeLessThan(2);
    expect((after.heap - before.heap) / MiB).toBeLessThan(4);
    c.destroy();
  });

  it('trickled: memory follows the bytes that came (at most about twice them)', async () => {
    const piece = Buffer.alloc(1024, 0x61);
    const port = await start((conn) => {
      send(conn, Buffer.concat([encodeWord('!re'), announce16MiB]));
      let n = 0;
      const tick = () => {
        if (conn.socket.destroyed || n++ >= 2048) return; // 2 MiB of the 16 announced, then silence
        send(conn, piece);
        setImmediate(tick);
      };
      tick();
    });
    const c = await connectPlain(port, {
      maxWordBytes: 16 * MiB,
      maxSentenceBytes: 32 * MiB,
      commandTimeoutMs: 20_000,
    });
    const before = memory();
    const pending = rejection(c.command('/x'));
    await waitFor(() => router!.connections[0]!.sent >= 2 * MiB, 15_000);
    await new Promise((r) => setTimeout(r, 100));
    const after = memory();
    expect((after.arrayBuffers - before.arrayBuffers) / MiB).toBeLessThan(6);
    c.destroy();
    expect(await pending).toBeInstanceOf(ClosedError);
  }, 30_000);
});

describe('a router sending one oversized sentence', () => {
  it('many 1 MiB words in one !re: ProtocolError sentence_too_large past 16 MiB, session closed', async () => {
    const word = encodeWord(`=data=${'y'.repeat(MiB)}`);
    const port = await start((conn) => {
      send(conn, encodeWord('!re'));
      pump(conn, word, 40 * MiB); // never terminated
    });
    const c = await connectPlain(port);
    const before = memory();
    const sampler = peakSampler();
    const err = await rejection(c.command('/x'));
    const peak = sampler.stop();
    expect(err).toBeInstanceOf(RouterOSProtocolError);
    expect(err.code).toBe('sentence_too_large');
    expect(c.closed).toBe(true);
    expect(router!.connections[0]!.sent).toBeLessThan(40 * MiB); // stopped reading long before the end
    expect((peak - before.heap - before.arrayBuffers) / MiB).toBeLessThan(100);
  }, 30_000);
});

describe('streams', () => {
  it('a consumer behind by more than maxBytes gets stream_overflow; a router that honours the cancel keeps the session', async () => {
    let streamTag = '';
    const port = await start((conn, path, tag) => {
      if (path === '/cancel') {
        // As RouterOS does: the cancelled command ends with interrupted + done, then the cancel itself is done.
        send(conn, encodeSentence(['!trap', '=category=2', '=message=interrupted', `.tag=${streamTag}`]));
        send(conn, encodeSentence(['!done', `.tag=${streamTag}`]));
        send(conn, encodeSentence(['!done', `.tag=${tag}`]));
        return;
      }
      streamTag = tag ?? '';
      send(conn, rows(tag, 100));
    });
    const c = await connectPlain(port);
    const s = c.stream('/interface/listen', undefined, { maxBytes: 16 * 1024 });
    await waitFor(() => router!.connections[0]!.commands.includes('/cancel'));
    let n = 0;
    const err = await (async () => {
      try {
        for await (const _ of s) n++;
      } catch (e) {
        return e as RouterOSError;
      }
      return undefined;
    })();
    expect(err?.code).toBe('stream_overflow');
    expect(err?.message).toMatch(/16384 bytes behind/);
    expect(n).toBeLessThanOrEqual(16);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.closed).toBe(false);
  });

  it('a router that ignores the cancel and keeps sending: the session is closed', async () => {
    const port = await start((conn, path, tag) => {
      if (path === '/cancel') return;
      flood(conn, tag);
    });
    const c = await connectPlain(port, { maxReplyBytes: MiB });
    const s = c.stream('/interface/listen', undefined, { maxRows: 10 });
    const closed = new Promise<Error>((r) => c.once('close', r));
    expect(await closed).toMatchObject({ code: 'reply_limit' });
    // The rows queued before the overflow are still delivered, then the overflow is reported.
    let n = 0;
    const err = await (async () => {
      try {
        for await (const _ of s) n++;
      } catch (e) {
        return e as RouterOSError;
      }
      return undefined;
    })();
    expect(n).toBe(10);
    expect(err?.code).toBe('stream_overflow');
  });
});
