import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A real HTTP receiver on loopback for webhook, Slack and Teams channels: records every request (raw body and
// headers) and answers from a script of statuses (then 200), optionally holding a response back.

export type Received = { path: string; headers: IncomingHttpHeaders; raw: string; json: Record<string, unknown> };

export type Receiver = {
  url: (path?: string) => string;
  requests: Received[];
  /** Statuses to answer in order; afterwards 200. */
  script: number[];
  /** While set, requests are recorded but never answered (a receiver that hangs). */
  hang: boolean;
  close: () => Promise<void>;
};

export async function startReceiver(): Promise<Receiver> {
  const hanging = new Set<import('node:http').ServerResponse>();
  const r: Receiver = {
    url: () => '',
    requests: [],
    script: [],
    hang: false,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(raw);
      } catch {}
      r.requests.push({ path: req.url ?? '/', headers: req.headers, raw, json });
      if (r.hang) {
        hanging.add(res);
        return;
      }
      res.statusCode = r.script.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  r.url = (path = '/hook') => `http://127.0.0.1:${port}${path}`;
  return r;
}
