// The browsers of the remote bench, in a process of their own so their CPU is not counted as TOD's. Driven by the
// bench over IPC: open terminals (each waits for its first prompt), type into all of them for a while, push bytes
// through a WinBox tunnel.
import net from 'node:net';
import WebSocket from 'ws';

type Msg =
  | { op: 'open'; urls: string[] }
  | { op: 'type'; seconds: number }
  | { op: 'tunnel'; port: number; megabytes: number }
  | { op: 'close' };

const sockets: WebSocket[] = [];
const send = (m: unknown) => process.send?.(m);

function openOne(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    let seen = '';
    ws.on('message', (d: Buffer, binary: boolean) => {
      if (!binary) return;
      seen += d.toString('utf8');
      if (/\] > $/.test(seen)) {
        ws.removeAllListeners('message');
        ws.on('message', () => {});
        resolve(ws);
      }
    });
    ws.once('error', reject);
    ws.once('unexpected-response', (_q, r) => reject(new Error(`HTTP ${r.statusCode}`)));
  });
}

async function typeFor(seconds: number) {
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    for (const ws of sockets) ws.send(Buffer.from(':put "the quick brown fox 0123456789"\r'), { binary: true });
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function pump(port: number, megabytes: number): Promise<{ seconds: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 7);
    const total = megabytes * 1024 * 1024;
    let sent = 0;
    let got = 0;
    const t0 = performance.now();
    const s = net.connect({ host: '127.0.0.1', port });
    s.on('error', reject);
    const write = () => {
      while (sent < total) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', write);
      }
    };
    s.on('connect', write);
    s.on('data', (b) => {
      got += b.length;
      if (got >= total) {
        const seconds = (performance.now() - t0) / 1000;
        s.destroy();
        resolve({ seconds, bytes: got });
      }
    });
  });
}

process.on('message', async (m: Msg) => {
  try {
    if (m.op === 'open') {
      sockets.push(...(await Promise.all(m.urls.map(openOne))));
      send({ ok: true, open: sockets.length });
    } else if (m.op === 'type') {
      await typeFor(m.seconds);
      send({ ok: true });
    } else if (m.op === 'tunnel') send({ ok: true, ...(await pump(m.port, m.megabytes)) });
    else {
      for (const ws of sockets) ws.close();
      send({ ok: true });
      process.exit(0);
    }
  } catch (e) {
    send({ ok: false, error: String(e) });
  }
});
