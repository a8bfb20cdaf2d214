import { afterEach, describe, expect, it } from 'vitest';
import { encodeSentence, q, queryWords, type RouterOSClient, RouterOSProtocolError, TrapError } from '../src/index.js';
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

async function setup(handlers: Record<string, (req: Request) => void>): Promise<RouterOSClient> {
  router = new MiniRouter({ handlers });
  client = await connectPlain(await router.listen());
  return client;
}

describe('query builder', () => {
  it('emits postfix stack words', () => {
    expect(queryWords(q.eq('type', 'ether'))).toEqual(['?type=ether']);
    expect(
      queryWords([q.or(q.eq('type', 'ether'), q.eq('type', 'vlan'), q.missing('comment')), q.not(q.has('slave'))]),
    ).toEqual(['?type=ether', '?type=vlan', '?#|', '?-comment', '?#|', '?slave', '?#!']);
    expect(queryWords(q.and(q.lt('mtu', 1500), q.gt('mtu', 1000)))).toEqual(['?<mtu=1500', '?>mtu=1000', '?#&']);
    expect(queryWords(q.eq('disabled', false))).toEqual(['?disabled=false']);
    expect(() => q.or()).toThrow(TypeError);
    expect(() => q.eq('a=b', 1)).toThrow(TypeError);
  });
});

describe('commands', () => {
  it('sends path, args, .proplist, query and a tag; parses rows and !done =ret=', async () => {
    const c = await setup({
      '/interface/print': (req) => {
        req.conn.re(req.tag, { '.id': '*1', name: 'ether1', comment: 'a=b=c', note: '' });
        req.conn.re(req.tag, { '.id': '*2', name: 'ether2', comment: '', note: 'x' });
        req.conn.done(req.tag);
      },
      '/ip/address/add': (req) => req.conn.done(req.tag, { ret: '*A' }),
    });
    const rows = await c.command(
      '/interface print',
      { detail: true, skip: undefined },
      {
        proplist: ['.id', 'name', 'comment'],
        query: q.or(q.eq('type', 'ether'), q.eq('type', 'vlan')),
      },
    );
    expect(rows).toEqual([
      { '.id': '*1', name: 'ether1', comment: 'a=b=c', note: '' },
      { '.id': '*2', name: 'ether2', comment: '', note: 'x' },
    ]);
    const sent = router!.connections[0]!.received.at(-1)!;
    expect(sent.slice(0, -1)).toEqual([
      '/interface/print',
      '=detail=yes',
      '=.proplist=.id,name,comment',
      '?type=ether',
      '?type=vlan',
      '?#|',
    ]);
    expect(sent.at(-1)).toMatch(/^\.tag=\d+$/);
    const res = await c.run('/ip/address/add', { address: '10.0.0.1/24', interface: 'ether1' });
    expect(res.done).toEqual({ ret: '*A' });
    expect(res.rows).toEqual([]);
  });

  it('accepts .tag anywhere in a reply and API words like .section', async () => {
    const c = await setup({
      '/x/print': (req) => {
        req.conn.send(['!re', `.tag=${req.tag}`, '=name=a', '.section=1']);
        req.conn.send(['!done', `.tag=${req.tag}`]);
      },
    });
    expect(await c.command('/x/print')).toEqual([{ name: 'a', '.section': '1' }]);
  });

  it('100 commands in flight with replies interleaved out of order', async () => {
    const held: Request[] = [];
    const c = await setup({
      '/test/echo': (req) => {
        held.push(req);
        if (held.length < 100) return;
        // Reply in reverse order, interleaving the first !re of every command before any second !re or !done.
        const order = [...held].reverse();
        for (const r of order) r.conn.re(r.tag, { n: r.attrs.n!, part: '1' });
        for (const r of order) r.conn.re(r.tag, { n: r.attrs.n!, part: '2' });
        for (const r of order) r.conn.done(r.tag);
      },
    });
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => c.command('/test/echo', { n: i })));
    results.forEach((rows, i) => {
      expect(rows).toEqual([
        { n: String(i), part: '1' },
        { n: String(i), part: '2' },
      ]);
    });
    const tags = new Set(held.map((r) => r.tag));
    expect(tags.size).toBe(100);
    expect(c.inFlight).toBe(0);
  });

  it('several traps before one !done -> TrapError with all of them; connection stays usable', async () => {
    const c = await setup({
      '/ip/address/add': (req) => {
        req.conn.trap(req.tag, 'invalid value for argument address', 1);
        req.conn.trap(req.tag, 'second problem', 4);
        req.conn.done(req.tag);
      },
    });
    const err = await rejection(c.command('/ip/address/add', { address: 'bogus' }));
    expect(err).toBeInstanceOf(TrapError);
    const trap = err as TrapError;
    expect(trap.code).toBe('trap');
    expect(trap.category).toBe(1);
    expect(trap.trapMessage).toBe('invalid value for argument address');
    expect(trap.traps).toEqual([
      { category: 1, message: 'invalid value for argument address' },
      { category: 4, message: 'second problem' },
    ]);
    expect(trap.message).toBe('/ip/address/add: invalid value for argument address');
    expect(await c.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('unknown command trap comes through', async () => {
    const c = await setup({});
    const err = await rejection(c.command('/no/such/thing'));
    expect((err as TrapError).trapMessage).toBe('no such command');
  });

  it('!empty (RouterOS 7.18+) gives no rows and empty=true', async () => {
    const c = await setup({
      '/ip/route/print': (req) => {
        req.conn.send(['!empty', `.tag=${req.tag}`]);
        req.conn.done(req.tag);
      },
    });
    const res = await c.run('/ip/route/print');
    expect(res).toEqual({ rows: [], done: {}, empty: true });
  });

  it('decodes values as win1252 by default, latin1/utf8 when configured', async () => {
    const handlers = {
      '/x/print': (req: Request) => {
        req.conn.socket.write(
          encodeSentence([
            Buffer.from('!re'),
            Buffer.from([0x3d, 0x63, 0x3d, 0x80, 0xe9]),
            Buffer.from(`.tag=${req.tag}`),
          ]),
        );
        req.conn.done(req.tag);
      },
    };
    const c = await setup(handlers);
    expect(await c.command('/x/print')).toEqual([{ c: '€é' }]);
    const latin = await connectPlain(router!.port, { encoding: 'latin1' });
    expect(await latin.command('/x/print')).toEqual([{ c: '\u0080é' }]);
    latin.destroy();
  });

  it('refuses an argument the device encoding cannot represent; the session survives', async () => {
    const c = await setup({});
    const err = await rejection(c.command('/system/identity/set', { name: '路由器' }));
    expect(err).toBeInstanceOf(RouterOSProtocolError);
    expect(err.code).toBe('unencodable');
    expect(await c.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('AbortSignal cancels a command on the router', async () => {
    const c = await setup({
      '/tool/ping': (req) => {
        req.conn.streams.set(req.tag!, () => {});
      },
    });
    const ac = new AbortController();
    const p = c.command('/tool/ping', { address: '10.0.0.1' }, { signal: ac.signal });
    await waitFor(() => router!.connections[0]!.streams.size === 1);
    ac.abort(new Error('user gave up'));
    const err = await rejection(p);
    expect(err.message).toBe('user gave up');
    await waitFor(() => router!.connections[0]!.received.some((w) => w[0] === '/cancel'));
    const cancel = router!.connections[0]!.received.find((w) => w[0] === '/cancel')!;
    const pingTag = router!.connections[0]!.received.find((w) => w[0] === '/tool/ping')!.find((w) =>
      w.startsWith('.tag='),
    );
    expect(cancel).toContain(`=tag=${pingTag!.slice(5)}`);
    await waitFor(() => c.inFlight === 0);
  });

  it('rejects bad paths and argument names before sending', async () => {
    const c = await setup({});
    expect((await rejection(c.command(''))).message).toMatch(/empty command path/);
    expect((await rejection(c.command('/x', { 'a=b': 1 }))).message).toMatch(/invalid argument name/);
  });
});

describe('segmentation on a real socket', () => {
  it('replies written in random 1-7 byte pieces still route correctly with 20 commands and a stream in flight', async () => {
    router = new MiniRouter({
      splitWrites: true,
      handlers: {
        '/test/echo': (req) => {
          const long = 'x'.repeat(200 + Number(req.attrs.n) * 10); // 2-byte length prefixes, cut too
          req.conn.re(req.tag, { n: req.attrs.n!, long, comment: 'Grüße €' });
          req.conn.done(req.tag);
        },
        '/interface/listen': (req) => {
          for (let i = 0; i < 5; i++) req.conn.re(req.tag, { i: String(i) });
          req.conn.done(req.tag);
        },
      },
    });
    client = await connectPlain(await router.listen());
    const stream = client.stream('/interface/listen');
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => client!.command('/test/echo', { n })));
    results.forEach((rows, n) => {
      expect(rows).toEqual([{ n: String(n), long: 'x'.repeat(200 + n * 10), comment: 'Grüße €' }]);
    });
    const streamed: string[] = [];
    for await (const row of stream) streamed.push(row.i!);
    expect(streamed).toEqual(['0', '1', '2', '3', '4']);
  });
});
