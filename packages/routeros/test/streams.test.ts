import { afterEach, describe, expect, it } from 'vitest';
import { ClosedError, type RouterOSClient, type Row, TrapError } from '../src/index.js';
import { MiniRouter, type Request } from './helpers/mini-router.js';
import { connectPlain, rejection, waitFor } from './helpers/util.js';

let router: MiniRouter | undefined;
let client: RouterOSClient | undefined;
afterEach(async () => {
  client?.destroy();
  client = undefined;
  await router?.close();
  router = undefined;
});

/** `/interface/listen`-like: one !re every `everyMs` until cancelled. */
function ticker(everyMs: number) {
  return (req: Request) => {
    let n = 0;
    const timer = setInterval(() => req.conn.re(req.tag, { n: String(n++) }), everyMs);
    req.conn.socket.on('close', () => clearInterval(timer));
    req.conn.streams.set(req.tag!, () => clearInterval(timer));
  };
}

async function setup(handlers: Record<string, (req: Request) => void>): Promise<RouterOSClient> {
  router = new MiniRouter({ handlers });
  client = await connectPlain(await router.listen());
  return client;
}

describe('streaming commands', () => {
  it('yields rows as they come; break sends /cancel for the tag and the session stays usable', async () => {
    const c = await setup({ '/interface/listen': ticker(2) });
    const stream = c.stream('/interface/listen');
    const seen: Row[] = [];
    for await (const row of stream) {
      seen.push(row);
      if (seen.length === 5) break;
    }
    expect(seen.map((r) => r.n)).toEqual(['0', '1', '2', '3', '4']);
    const conn = router!.connections[0]!;
    await waitFor(() => conn.received.some((w) => w[0] === '/cancel'));
    expect(conn.received.find((w) => w[0] === '/cancel')).toContain(`=tag=${stream.tag}`);
    // The router's interrupted trap and !done are absorbed; the handler goes away.
    await waitFor(() => c.inFlight === 0);
    expect(conn.streams.size).toBe(0);
    expect(await c.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('stream.cancel() ends the iteration cleanly after category-2 "interrupted"', async () => {
    const c = await setup({ '/tool/torch': ticker(2) });
    const stream = c.stream('/tool/torch', { interface: 'ether1' });
    const rows: Row[] = [];
    const consumer = (async () => {
      for await (const row of stream) {
        rows.push(row);
        if (rows.length === 3) stream.cancel();
      }
    })();
    await consumer; // resolves, does not throw
    expect(rows.length).toBeGreaterThanOrEqual(3);
    await waitFor(() => c.inFlight === 0);
  });

  it('a follow stream that the router finishes with !done ends normally', async () => {
    const c = await setup({
      '/log/print': (req) => {
        req.conn.re(req.tag, { message: 'a' });
        req.conn.re(req.tag, { message: 'b' });
        req.conn.done(req.tag);
      },
    });
    const rows: Row[] = [];
    for await (const row of c.stream('/log/print', { follow: '' })) rows.push(row);
    expect(rows).toEqual([{ message: 'a' }, { message: 'b' }]);
    const sent = router!.connections[0]!.received.find((w) => w[0] === '/log/print')!;
    expect(sent).toContain('=follow=');
  });

  it('a trap other than "interrupted" makes the iterator throw TrapError', async () => {
    const c = await setup({
      '/interface/monitor-traffic': (req) => {
        req.conn.re(req.tag, { 'rx-bits-per-second': '1000' });
        req.conn.trap(req.tag, 'no such item', 0);
        req.conn.done(req.tag);
      },
    });
    const rows: Row[] = [];
    const err = await rejection(
      (async () => {
        for await (const row of c.stream('/interface/monitor-traffic', { interface: 'nope' })) rows.push(row);
      })(),
    );
    expect(err).toBeInstanceOf(TrapError);
    expect((err as TrapError).trapMessage).toBe('no such item');
    expect(rows).toEqual([{ 'rx-bits-per-second': '1000' }]);
  });

  it('the connection dropping makes a running stream throw ClosedError', async () => {
    const c = await setup({
      '/interface/listen': (req) => {
        req.conn.re(req.tag, { n: '0' });
        setTimeout(() => req.conn.socket.destroy(), 20);
      },
    });
    const rows: Row[] = [];
    const err = await rejection(
      (async () => {
        for await (const row of c.stream('/interface/listen')) rows.push(row);
      })(),
    );
    expect(err).toBeInstanceOf(ClosedError);
    expect(rows).toEqual([{ n: '0' }]);
  });

  it('a consumer that falls too far behind gets stream_overflow and the command is cancelled', async () => {
    router = new MiniRouter({
      handlers: {
        '/interface/listen': (req) => {
          for (let i = 0; i < 50; i++) req.conn.re(req.tag, { n: String(i) });
          req.conn.streams.set(req.tag!, () => {});
        },
      },
    });
    client = await connectPlain(await router.listen(), { maxStreamBuffer: 10 });
    const stream = client.stream('/interface/listen');
    await waitFor(() => router!.connections[0]!.received.some((w) => w[0] === '/cancel'));
    const rows: Row[] = [];
    const err = await rejection(
      (async () => {
        for await (const row of stream) rows.push(row);
      })(),
    );
    expect(err.code).toBe('stream_overflow');
    expect(rows.length).toBe(10);
  });
});
