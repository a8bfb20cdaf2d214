import { Counter, Histogram, type Registry } from 'prom-client';

export type EventMetrics = ReturnType<typeof createEventMetrics>;

/** The dispatcher's Prometheus series. Each committed event is counted once, by the process that first picks it up. */
export function createEventMetrics(registry: Registry) {
  const registers = [registry];
  return {
    recorded: new Counter({
      name: 'mikrotik_events_recorded_total',
      help: 'Committed domain events picked up for dispatch, by type',
      labelNames: ['type'] as const,
      registers,
    }),
    delivered: new Counter({
      name: 'mikrotik_events_delivered_total',
      help: 'Event deliveries a handler completed, by handler',
      labelNames: ['handler'] as const,
      registers,
    }),
    retried: new Counter({
      name: 'mikrotik_events_retried_total',
      help: 'Failed event deliveries scheduled for another attempt, by handler',
      labelNames: ['handler'] as const,
      registers,
    }),
    deadLettered: new Counter({
      name: 'mikrotik_events_dead_lettered_total',
      help: 'Event deliveries given up after their last attempt, by handler',
      labelNames: ['handler'] as const,
      registers,
    }),
    lag: new Histogram({
      name: 'mikrotik_events_dispatch_lag_seconds',
      help: 'From recording an event to a handler completing it',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60, 300],
      registers,
    }),
  };
}
