import WebSocket from 'ws';

// A browser terminal as a test sees it: a real WebSocket to /ws/ssh, the router's bytes collected as text, control
// messages as JSON, and waits for what should appear.

export type TerminalClient = {
  ws: WebSocket;
  /** Everything the router sent so far. */
  text(): string;
  statuses: Array<Record<string, unknown>>;
  type(s: string): void;
  resize(cols: number, rows: number): void;
  /** Waits until the output (from `from` on) matches. */
  waitFor(re: RegExp, from?: number, timeoutMs?: number): Promise<string>;
  waitStatus(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  closed: Promise<{ code: number; reason: string }>;
};

/** Opens the socket; rejects with the HTTP status when the upgrade is refused. */
export function openTerminal(port: number, token: string, size = { cols: 100, rows: 30 }): Promise<TerminalClient> {
  const url = `ws://127.0.0.1:${port}/ws/ssh?token=${encodeURIComponent(token)}&cols=${size.cols}&rows=${size.rows}`;
  const ws = new WebSocket(url);
  const out: Buffer[] = [];
  const statuses: Array<Record<string, unknown>> = [];
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of [...waiters]) w();
  };
  ws.on('message', (data: Buffer, binary: boolean) => {
    if (binary) out.push(data);
    else statuses.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>);
    wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      resolve({ code, reason: reason.toString() });
      wake();
    }),
  );
  const text = () => Buffer.concat(out).toString('utf8');
  const until = <T>(check: () => T | undefined, what: string, timeoutMs: number) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(poll);
        reject(
          new Error(`timed out waiting for ${what}; output so far:\n${text()}\nstatuses: ${JSON.stringify(statuses)}`),
        );
      }, timeoutMs);
      const poll = () => {
        const v = check();
        if (v === undefined) return;
        clearTimeout(timer);
        waiters.delete(poll);
        resolve(v);
      };
      waiters.add(poll);
      poll();
    });
  const client: TerminalClient = {
    ws,
    text,
    statuses,
    type: (s) => ws.send(Buffer.from(s, 'utf8'), { binary: true }),
    resize: (cols, rows) => ws.send(JSON.stringify({ type: 'resize', cols, rows })),
    waitFor: (re, from = 0, timeoutMs = 15_000) =>
      until(
        () => {
          const t = text().slice(from);
          return re.test(t) ? t : undefined;
        },
        String(re),
        timeoutMs,
      ),
    waitStatus: (pred, timeoutMs = 15_000) => until(() => statuses.find(pred), 'a status message', timeoutMs),
    closed,
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) =>
      reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode })),
    );
    ws.once('error', reject);
  });
}
