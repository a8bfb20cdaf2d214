import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import type { Bus, LiveMessage } from '../../platform/bus/types.js';
import type { PollResult } from '../poller/types.js';
import { writeResults } from './ingest.repo.js';

/**
 * The worker's ingest: consumes poll-result batches from the bus, writes them in one transaction each, then
 * publishes live updates (after commit, so a client never sees state the database does not have):
 *  - `device.state`: status and the latest health figures of every polled device;
 *  - `device.event`: every stored event (status changes, reboots, version changes, TLS pinning).
 */
export async function startIngest(deps: { system: pg.Pool; bus: Bus; log: Logger; registry: Registry }) {
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
    let out: Awaited<ReturnType<typeof writeResults>>;
    try {
      out = await writeResults(deps.system, results);
      batches.inc({ outcome: 'ok' });
    } catch (err) {
      batches.inc({ outcome: 'error' });
      throw err;
    }
    for (const [table, n] of Object.entries(out.counts)) rows.inc({ table }, n);
    for (const r of results) deps.bus.publishLive(stateMessage(r));
    for (const e of out.events)
      deps.bus.publishLive({
        type: 'device.event',
        tenantId: e.tenant_id,
        deviceId: e.device_id,
        event: {
          id: String(e.id),
          type: e.type,
          severity: e.severity,
          message: e.message,
          details: e.details,
          createdAt: e.created_at.toISOString(),
        },
      });
  };
  const stop = await deps.bus.consumeResults(handle);
  log.info({ bus: deps.bus.kind }, 'ingest started');
  return { stop, handle };
}

function stateMessage(r: PollResult): LiveMessage {
  return {
    type: 'device.state',
    tenantId: r.tenantId,
    deviceId: r.deviceId,
    at: r.at,
    status: r.status,
    statusReason: r.statusReason,
    health: r.health,
  };
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
