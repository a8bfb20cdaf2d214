import type { NatsConnection } from 'nats';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { createMemoryBus } from './memory.js';
import { createNatsBus } from './nats.js';
import type { Bus } from './types.js';

/** NATS JetStream when a connection is given (NATS_URL), otherwise the in-process bus. */
export async function createBus(o: { nc?: NatsConnection; log: Logger; registry?: Registry }): Promise<Bus> {
  const publishTotal = o.registry
    ? new Counter({
        name: 'mikrotik_nats_publish_total',
        help: 'Messages published on the bus (kind: results|live, *_failed on error; transport: nats|memory)',
        labelNames: ['kind', 'transport'] as const,
        registers: [o.registry],
      })
    : undefined;
  const log = o.log.child({ component: 'bus' });
  if (o.nc) return createNatsBus({ nc: o.nc, log, ...(publishTotal ? { publishTotal } : {}) });
  return createMemoryBus({ log, ...(publishTotal ? { publishTotal } : {}) });
}
