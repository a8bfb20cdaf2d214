import type { CommandStream, RouterOSClient, Row } from '@tod/routeros';
import { cleanText, topicsOf } from '../device-logs/text.js';
import { clockOf, type DeviceClock, lineTime } from './log-time.js';
import type { LogLine } from './types.js';

// Collecting each device's `/log` incrementally on the poller's session. Rather than printing the whole buffer every
// cycle (up to `memory-lines`, 1000 by default, ~100 KB per device per cycle for a fleet that mostly logs nothing),
// the session keeps one `/log/print follow-only` open: the router pushes each new line as it is logged, and a poll
// takes what arrived since the last one. When the session is new, one print (streamed, keeping only the newest
// lines, so a buffer of any size costs no memory) catches up with what was logged while nobody followed: lines
// after the last `.id` taken, or the whole buffer after a reboot or a poller restart (the database drops lines it
// has, by device, time and id). Ids increase until a reboot; one going backwards also means "start over".

/** Lines handed over per poll at most; the rest wait for the next. */
export const MAX_LINES_PER_POLL = 1000;
/**
 * Text handed over per poll at most (messages plus a little per line): a poll result must stay far below the bus's
 * message limit (NATS max_payload, 1 MiB by default, drops a result that alone is larger).
 */
export const MAX_BYTES_PER_POLL = 256 * 1024;
/** Lines waiting between polls at most; past it the oldest are dropped (counted). */
export const MAX_PENDING_LINES = 2 * MAX_LINES_PER_POLL;
const PROPLIST = ['.id', 'time', 'topics', 'message'];
const CLOCK_REFRESH_MS = 3_600_000;

/** `.id` of a log item (`*1A`) as a number, or -1. */
export const logIdOf = (id: string | undefined): number =>
  id && /^\*[0-9A-Fa-f]{1,13}$/.test(id) ? Number.parseInt(id.slice(1), 16) : -1;

/** What a poller keeps per device for its log: the follow stream, the lines since the last poll, the clock. */
export class DeviceLogState {
  /** The session the follow stream runs on; another session (or none) means start again with a catch-up. */
  client: RouterOSClient | undefined;
  stream: CommandStream | undefined;
  /** Highest id taken; undefined before the first look and after a reboot. */
  lastId: number | undefined;
  pending: Row[] = [];
  /** Lines dropped since the last poll because more came than MAX_PENDING_LINES. */
  dropped = 0;
  clock: DeviceClock | undefined;
  /** While the catch-up print runs, the lines the stream brings wait here (they come after the printed ones). */
  held: Row[] | undefined;

  /** A line from the router: kept when newer than the last one taken. */
  take(row: Row): void {
    if (this.held) {
      this.held.push(row);
      if (this.held.length > MAX_PENDING_LINES) this.held.shift();
      return;
    }
    const id = logIdOf(row['.id']);
    if (id < 0 || (this.lastId !== undefined && id <= this.lastId)) return;
    this.lastId = id;
    this.pending.push(row);
    if (this.pending.length > MAX_PENDING_LINES) {
      this.pending.shift();
      this.dropped++;
    }
  }

  /** Stops following (the session closed, moved, or the device went away). */
  detach(): void {
    const s = this.stream;
    this.stream = undefined;
    this.client = undefined;
    this.held = undefined;
    s?.cancel();
  }
}

/** Follows the log on `client`: rows go to `state` until the stream ends or another one replaces it. */
function follow(client: RouterOSClient, state: DeviceLogState): void {
  const stream = client.stream('/log/print', { 'follow-only': '' }, { proplist: PROPLIST });
  state.client = client;
  state.stream = stream;
  void (async () => {
    try {
      for await (const row of stream) {
        if (state.stream !== stream) break;
        state.take(row);
      }
    } catch {
      // The session closed or the router refused: the next poll starts again (its own commands say why).
    } finally {
      if (state.stream === stream) state.detach();
    }
  })();
}

/**
 * The whole buffer, streamed (oldest first), keeping the newest MAX_PENDING_LINES rows: a buffer of any size costs
 * that much memory. `newer`: how many rows had an id above `afterId` (all of them without one).
 */
async function catchUp(
  client: RouterOSClient,
  afterId: number | undefined,
  timeoutMs: number,
): Promise<{ tail: Row[]; maxId: number; total: number; newer: number }> {
  const stream = client.stream('/log/print', {}, { proplist: PROPLIST });
  let tail: Row[] = [];
  let maxId = -1;
  let total = 0;
  let newer = 0;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    stream.cancel();
  }, timeoutMs);
  try {
    for await (const row of stream) {
      const id = logIdOf(row['.id']);
      maxId = Math.max(maxId, id);
      total++;
      if (afterId === undefined || id > afterId) newer++;
      tail.push(row);
      if (tail.length >= 2 * MAX_PENDING_LINES) tail = tail.slice(-MAX_PENDING_LINES);
    }
  } finally {
    clearTimeout(timer);
  }
  if (timedOut) throw new Error(`/log/print did not finish within ${timeoutMs} ms`);
  return { tail: tail.slice(-MAX_PENDING_LINES), maxId, total, newer };
}

const lineKey = (row: Row): string => `${row['.id']}\u0000${row.time}\u0000${row.message}`;

const lineOf = (row: Row, clock: DeviceClock | undefined, now: number): LogLine => ({
  id: row['.id'] ?? '',
  time: lineTime(row.time, clock, now),
  topics: topicsOf(row.topics),
  message: cleanText(row.message ?? ''),
});

/**
 * The new log lines of this poll. `rebooted`: the poll saw a reboot (ids restart). Session failures propagate
 * (the caller reports them); the lines already taken stay for the next poll.
 */
export async function collectLogs(
  client: RouterOSClient,
  state: DeviceLogState,
  o: { rebooted: boolean; commandTimeoutMs: number; now?: number },
): Promise<{ lines: LogLine[]; dropped: number }> {
  if (o.rebooted) state.lastId = undefined;
  if (state.client !== client || !state.stream) {
    state.detach();
    follow(client, state);
    state.held = [];
    try {
      const [printed, clock] = await Promise.all([
        catchUp(client, state.lastId, o.commandTimeoutMs),
        client.command('/system/clock/print'),
      ]);
      state.clock = clockOf(clock[0], Date.now()) ?? state.clock;
      // Ids below the last one taken: the device restarted them (a reboot the poll did not see).
      let wanted = printed.newer;
      if (state.lastId !== undefined && printed.maxId >= 0 && printed.maxId < state.lastId) {
        state.lastId = undefined;
        wanted = printed.total;
      }
      const held = state.held ?? [];
      state.held = undefined;
      // Lines the follow stream took just before a reboot come again when the log outlived it: the print's copy,
      // in the buffer's order, is the one kept.
      if (state.lastId === undefined && state.pending.length > 0) {
        const printedKeys = new Set(printed.tail.map(lineKey));
        state.pending = state.pending.filter((row) => !printedKeys.has(lineKey(row)));
      }
      const before = state.pending.length + state.dropped;
      for (const row of printed.tail) state.take(row);
      // Lines newer than the last one taken that the tail could not hold are lost: counted.
      state.dropped += Math.max(0, wanted - (state.pending.length + state.dropped - before));
      for (const row of held) state.take(row);
    } catch (err) {
      state.detach();
      throw err;
    }
  } else if (state.pending.length > 0 && (!state.clock || Date.now() - state.clock.readAt > CLOCK_REFRESH_MS)) {
    state.clock = clockOf((await client.command('/system/clock/print'))[0], Date.now()) ?? state.clock;
  }
  const now = o.now ?? Date.now();
  const lines: LogLine[] = [];
  let bytes = 0;
  for (const row of state.pending) {
    if (lines.length >= MAX_LINES_PER_POLL) break;
    const line = lineOf(row, state.clock, now);
    bytes += line.message.length + line.topics.join(',').length + 64;
    if (bytes > MAX_BYTES_PER_POLL && lines.length > 0) break;
    lines.push(line);
  }
  state.pending.splice(0, lines.length);
  const dropped = state.dropped;
  state.dropped = 0;
  return { lines, dropped };
}
