import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Bus } from '../../platform/bus/types.js';
import type { PollResult } from '../poller/types.js';
import { type BatchWritten, type ResultConsumer, writeResults } from './ingest.batch.js';
import { stateMessage } from './ingest.live.js';

/**
 * The worker's ingest: consumes poll-result batches from the bus, writes them in one transaction each, then
 * publishes live updates (after commit, so a client never sees state the database does not have):
 *  - `device.state`: status and the latest health figures of every polled device;
 * Stored device events become domain events in the same transaction (events.domain.ts); the event dispatcher
 * sends them live once committed.
 */
export async function startIngest(deps: {
  system: pg.Pool;
  bus: Bus;
  log: Logger;
  registry: Registry;
  /** Other features' work on each batch, in its transaction (alert evaluation, device logs). */
  consumers?: readonly ResultConsumer[];
  /** Called after each committed batch (e.g. to wake the notification sender). */
  afterCommit?: () => void;
}) {
  const consumers = deps.consumers ?? [];
  const log = deps.log.child({ component: 'ingest' });
  const rows = new Counter({
    name: 'mikrotik_ingest_rows_total',
    help: 'Rows written by ingest, by table',
    labelNames: ['table'] as const,
    registers: [deps.registry],
  });
  const batches = new Counter({
    name: 'mikrotik_ingest_batches_total',
    help: 'Poll-result batches handled by ingest',
    labelNames: ['outcome'] as const,
    registers: [deps.registry],
  });
  const handle = async (batch: unknown[]) => {
    const results = batch.filter(isPollResult);
    if (results.length < batch.length) log.warn({ dropped: batch.length - results.length }, 'malformed poll results');
    if (results.length === 0) return;
    let out: BatchWritten;
    let written = results;
    try {
      out = await writeResults(deps.system, results, consumers);
      batches.inc({ outcome: 'ok' });
    } catch (err) {
      batches.inc({ outcome: 'error' });
      if (results.length === 1) throw err;
      ({ out, written } = await isolate(results, err));
    }
    for (const [table, n] of Object.entries(out.counts)) rows.inc({ table }, n);
    for (const f of out.failedConsumers)
      log.error({ err: f.error, consumer: f.name }, 'a batch consumer failed; results kept');
    deps.afterCommit?.();
    for (const r of written) deps.bus.publishLive(stateMessage(r));
  };
  // A batch that fails as a whole is written result by result: one bad result (a value the schema refuses) must
  // not block the queue forever. If every result fails, the database is the problem: rethrow, the batch is retried.
  async function isolate(results: PollResult[], batchError: unknown) {
    const merged: BatchWritten = {
      counts: { devices: 0, health: 0, interfaces: 0, events: 0, facts: 0 },
      failedConsumers: [],
    };
    const written: PollResult[] = [];
    for (const r of results) {
      try {
        const one = await writeResults(deps.system, [r], consumers);
        written.push(r);
        merged.failedConsumers.push(...one.failedConsumers);
        for (const k of Object.keys(merged.counts) as Array<keyof typeof merged.counts>)
          merged.counts[k] += one.counts[k];
      } catch (err) {
        log.error({ err, device: r.deviceId }, 'poll result refused by the database; dropped');
      }
    }
    if (written.length === 0) throw batchError;
    batches.inc({ outcome: 'partial' });
    return { out: merged, written };
  }
  const stop = await deps.bus.consumeResults(handle);
  log.info({ bus: deps.bus.kind }, 'ingest started');
  return { stop, handle };
}

function isPollResult(x: unknown): x is PollResult {
  const r = x as PollResult;
  return (
    typeof r === 'object' &&
    r !== null &&
    r.v === 1 &&
    typeof r.deviceId === 'string' &&
    typeof r.tenantId === 'string' &&
    typeof r.at === 'string' &&
    Array.isArray(r.events)
  );
}
