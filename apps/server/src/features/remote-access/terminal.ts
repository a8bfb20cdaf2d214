import type { ClientChannel } from 'ssh2';
import type { WebSocket } from 'ws';
import type { Counters } from './live.repo.js';
import { resizeMessage } from './messages.js';

// The relay between a browser's WebSocket and a router's PTY. Binary frames carry the terminal's bytes both ways
// (UTF-8 is the terminal's business: bytes pass untouched, so a character split across frames arrives whole);
// text frames carry control messages as JSON (`{type:"resize",cols,rows}` in, `{type:"status",…}` out).
// A router that floods output cannot grow TOD's memory: past 1 MiB unsent to the browser, the channel is paused.

const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

export type Relay = {
  counters(): Counters;
  /** Stops relaying and closes the channel; the caller closes the WebSocket with its reason. */
  stop(): void;
};

export function relayTerminal(o: {
  id: string;
  ws: WebSocket;
  channel: ClientChannel;
  idleMs: number;
  lifetimeMs: number;
  /** Every byte the router sent, for the transcript. */
  onOutput?: (b: Buffer) => void;
  /** The session ends: the router closed the shell, the browser left, idle, or the lifetime ran out. */
  onEnd: (reason: string) => void;
}): Relay {
  const { ws, channel } = o;
  let bytesIn = 0;
  let bytesOut = 0;
  let lastActivity = new Date();
  let stopped = false;
  const touch = () => {
    lastActivity = new Date();
  };
  const end = (reason: string) => {
    if (!stopped) o.onEnd(reason);
  };

  // Router → browser, paused while the browser is slow to take it.
  let draining: NodeJS.Timeout | undefined;
  const fromRouter = (b: Buffer) => {
    bytesOut += b.length;
    touch();
    o.onOutput?.(b);
    ws.send(b, { binary: true });
    if (ws.bufferedAmount > HIGH_WATER && !draining) {
      channel.pause();
      draining = setInterval(() => {
        if (ws.bufferedAmount > LOW_WATER) return;
        clearInterval(draining);
        draining = undefined;
        channel.resume();
      }, 50);
    }
  };
  channel.on('data', fromRouter);
  channel.stderr.on('data', fromRouter);
  channel.on('close', () => end('closed by the router'));

  // Browser → router.
  ws.on('message', (data: Buffer, isBinary: boolean) => {
    if (stopped) return;
    if (isBinary) {
      bytesIn += data.length;
      touch();
      if (!channel.write(data)) {
        ws.pause();
        channel.once('drain', () => ws.resume());
      }
      return;
    }
    const size = resizeMessage(data.toString('utf8'));
    if (size) channel.setWindow(size.rows, size.cols, 0, 0);
  });
  // The browser leaving is watched by the caller from before the relay exists; a failing socket ends it here.
  ws.on('error', () => end('browser connection failed'));

  const opened = Date.now();
  const watch = setInterval(() => {
    if (Date.now() - lastActivity.getTime() >= o.idleMs) end('idle');
    else if (Date.now() - opened >= o.lifetimeMs) end('max_lifetime');
  }, 1_000);

  return {
    counters: () => ({ id: o.id, bytesIn, bytesOut, lastActivity }),
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(watch);
      if (draining) clearInterval(draining);
      channel.removeAllListeners('data');
      channel.close();
    },
  };
}
