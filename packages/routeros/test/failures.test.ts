import { afterEach, describe, expect, it } from 'vitest';
import {
  ClosedError,
  ConnectError,
  encodeSentence,
  encodeWord,
  FatalError,
  type RouterOSClient,
  RouterOSProtocolError,
  TimeoutError,
} from '../src/index.js';
import { blackhole, MiniRouter, neverAccepts, type Request } from './helpers/mini-router.js';
import { closedPort, connectPlain, rejection, waitFor } from './helpers/util.js';

let router: MiniRouter | undefined;
let client: RouterOSClient | undefined;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  client?.destroy();
  client = undefined;
  await router?.close();
  router = undefined;
  for (const c of cleanups.splice(0)) await c();
});

async function setup(handlers: Record<string, (req: Request) => void>, extra = {}): Promise<RouterOSClient> {
  router = new MiniRouter({ handlers });
  client = await connectPlain(await router.listen(), extra);
  return client;
}

describe('connect failures', () => {
  it('refused port -> ConnectError ECONNREFUSED with host and port', async () => {
    const port = await closedPort();
    const err = await rejection(connectPlain(port));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.code).toBe('ECONNREFUSED');
    expect((err as ConnectError).port).toBe(port);
  });

  it('a listener that never accepts (SYNs dropped) -> ConnectError ETIMEDOUT after the connect timeout', async () => {
    const na = await neverAccepts();
    cleanups.push(na.close);
    const start = Date.now();
    const err = await rejection(connectPlain(na.port, { connectTimeoutMs: 300 }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.code).toBe('ETIMEDOUT');
    expect(err.message).toContain('no answer in 300 ms');
    expect(Date.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('a server that accepts but never answers -> TimeoutError login_timeout', async () => {
    const bh = await blackhole();
    cleanups.push(bh.close);
    const start = Date.now();
    const err = await rejection(connectPlain(bh.port, { loginTimeoutMs: 150 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.code).toBe('login_timeout');
    expect(Date.now() - start).toBeLessThan(2000);
  });

  it('TLS handshake to a silent server -> ConnectError ETIMEDOUT within the connect timeout', async () => {
    const bh = await blackhole();
    cleanups.push(bh.close);
    const err = await rejection(connectPlain(0, { tlsMode: 'verify', tlsPort: bh.port, connectTimeoutMs: 150 }));
    expect(err).toBeInstanceOf(ConnectError);
    expect(err.code).toBe('ETIMEDOUT');
  });
});

describe('session failures', () => {
  it('command timeout -> TimeoutError, /cancel sent, the session keeps working', async () => {
    const c = await setup({ '/slow/print': () => {} });
    const err = await rejection(c.command('/slow/print', {}, { timeoutMs: 100 }));
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err.code).toBe('command_timeout');
    expect(err.message).toContain('/slow/print');
    await waitFor(() => router!.connections[0]!.received.some((w) => w[0] === '/cancel'));
    expect(await c.command('/system/identity/print')).toEqual([{ name: 'MikroTik' }]);
  });

  it('!fatal fails every pending command with FatalError and closes the session', async () => {
    const c = await setup({
      '/hang': () => {},
      '/system/reboot': (req) => {
        req.conn.send(['!fatal', 'not logged in']);
        req.conn.socket.end();
      },
    });
    const closed = new Promise<Error>((resolve) => c.once('close', resolve));
    const pending = rejection(c.command('/hang'));
    const err = await rejection(c.command('/system/reboot'));
    expect(err).toBeInstanceOf(FatalError);
    expect(err.code).toBe('fatal');
    expect((err as FatalError).reason).toBe('not logged in');
    expect(await pending).toBe(err);
    expect(await closed).toBe(err);
    expect(c.closed).toBe(true);
    const after = await rejection(c.command('/system/identity/print'));
    expect(after).toBe(err);
  });

  it('reset in the middle of a sentence -> ClosedError reset', async () => {
    const c = await setup({
      '/interface/print': (req) => {
        const full = encodeSentence(['!re', '=name=ether1', '=comment=long enough to cut', `.tag=${req.tag}`]);
        req.conn.socket.write(full.subarray(0, 15));
        // Reset once the bytes are out (resetting inside the write callback degrades to a FIN on Linux).
        setTimeout(() => req.conn.socket.resetAndDestroy(), 30);
      },
    });
    const err = await rejection(c.command('/interface/print'));
    expect(err).toBeInstanceOf(ClosedError);
    expect(err.code).toBe('reset');
  });

  it('orderly close in the middle of a sentence -> ClosedError closed, saying so', async () => {
    const c = await setup({
      '/interface/print': (req) => {
        const full = encodeSentence(['!re', '=name=ether1', `.tag=${req.tag}`]);
        req.conn.socket.end(full.subarray(0, 9));
      },
    });
    const err = await rejection(c.command('/interface/print'));
    expect(err).toBeInstanceOf(ClosedError);
    expect(err.code).toBe('closed');
    expect(err.message).toContain('middle of a sentence');
  });

  it('a control byte from the router -> ProtocolError control_byte, session closed', async () => {
    const c = await setup({
      '/x': (req) => {
        req.conn.socket.write(Buffer.concat([encodeWord('!re'), Buffer.from([0xf9])]));
      },
    });
    const err = await rejection(c.command('/x'));
    expect(err).toBeInstanceOf(RouterOSProtocolError);
    expect(err.code).toBe('control_byte');
    expect(c.closed).toBe(true);
  });

  it('a reply sentence without a !type -> ProtocolError bad_reply', async () => {
    const c = await setup({ '/x': (req) => req.conn.send(['=name=x', `.tag=${req.tag}`]) });
    const err = await rejection(c.command('/x'));
    expect(err.code).toBe('bad_reply');
  });

  it('an oversized word -> ProtocolError word_too_long', async () => {
    const c = await setup(
      { '/x': (req) => req.conn.send(['!re', `=blob=${'z'.repeat(5000)}`, `.tag=${req.tag}`]) },
      { maxWordBytes: 4096 },
    );
    const err = await rejection(c.command('/x'));
    expect(err.code).toBe('word_too_long');
  });

  it('close() logs out with /quit; pending commands get ClosedError', async () => {
    const c = await setup({ '/hang': () => {} });
    const pending = rejection(c.command('/hang'));
    await waitFor(() => router!.connections[0]!.received.some((w) => w[0] === '/hang'));
    await c.close();
    const err = await pending;
    expect(err).toBeInstanceOf(ClosedError);
    expect(err.code).toBe('closed');
    expect(router!.connections[0]!.received.at(-1)?.[0]).toBe('/quit');
    expect((await rejection(c.command('/system/identity/print'))).code).toBe('closed');
  });

  it('keepalive runs a cheap command when idle, and closes the session when it goes unanswered', async () => {
    let answer = true;
    const c = await setup(
      {
        '/system/identity/print': (req) => {
          if (!answer) return;
          req.conn.re(req.tag, { name: 'MikroTik' });
          req.conn.done(req.tag);
        },
      },
      { keepaliveIntervalMs: 60, commandTimeoutMs: 150 },
    );
    const conn = router!.connections[0]!;
    await waitFor(() => conn.received.filter((w) => w[0] === '/system/identity/print').length >= 2);
    expect(c.closed).toBe(false);
    answer = false;
    const closed = await new Promise<Error>((resolve) => c.once('close', resolve));
    expect(closed).toBeInstanceOf(TimeoutError);
    expect((closed as TimeoutError).code).toBe('keepalive_timeout');
  });
});

describe('fuzz: a router sending garbage', () => {
  it('every command settles with a typed error or a result, never hangs', async () => {
    const garbage: Buffer[] = [];
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    for (let i = 0; i < 30; i++)
      garbage.push(Buffer.from(Array.from({ length: 1 + (rnd() % 300) }, () => rnd() & 0xff)));
    router = new MiniRouter({
      handlers: {
        '/garbage': (req) => {
          req.conn.socket.write(garbage[Number(req.attrs.i)]!);
        },
      },
    });
    const port = await router.listen();
    const codes = new Set<string>();
    for (let i = 0; i < garbage.length; i++) {
      const c = await connectPlain(port, { commandTimeoutMs: 100 });
      const outcome = await c.command('/garbage', { i }).then(
        () => 'ok',
        (e: Error & { code?: string }) => {
          expect(e.code, String(e)).toBeTypeOf('string');
          return e.code!;
        },
      );
      codes.add(outcome);
      c.destroy();
    }
    // Random bytes mostly break framing or leave a word unfinished; both must surface as typed errors.
    expect(
      [...codes].every((c) =>
        ['ok', 'control_byte', 'bad_length', 'bad_reply', 'command_timeout', 'word_too_long'].includes(c),
      ),
    ).toBe(true);
    expect(codes.size).toBeGreaterThan(1);
  });
});
