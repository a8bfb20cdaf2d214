import { Counter, Gauge, type Registry } from 'prom-client';

export const dropReasons = [
  'oversized',
  'bad_framing',
  'unknown_source',
  'ambiguous_source',
  'rate_limited',
  'unparseable',
  'queue_full',
  'tcp_limit',
] as const;
export type DropReason = (typeof dropReasons)[number];

/** The receiver's metrics (one set per registry: a second receiver on the same registry shares them). */
export function createSyslogMetrics(registry: Registry) {
  const get = <T>(name: string, make: () => T): T => (registry.getSingleMetric(name) as T | undefined) ?? make();
  const registers = [registry];
  return {
    received: get(
      'mikrotik_syslog_messages_total',
      () =>
        new Counter({
          name: 'mikrotik_syslog_messages_total',
          help: 'Syslog messages received, by transport',
          labelNames: ['transport'] as const,
          registers,
        }),
    ),
    dropped: get(
      'mikrotik_syslog_dropped_total',
      () =>
        new Counter({
          name: 'mikrotik_syslog_dropped_total',
          help: 'Syslog messages (or TCP connections, for tcp_limit and unknown sources) dropped, by reason',
          labelNames: ['reason'] as const,
          registers,
        }),
    ),
    stored: get(
      'mikrotik_syslog_stored_total',
      () => new Counter({ name: 'mikrotik_syslog_stored_total', help: 'Syslog lines stored', registers }),
    ),
    queue: get(
      'mikrotik_syslog_queue_depth',
      () => new Gauge({ name: 'mikrotik_syslog_queue_depth', help: 'Syslog lines waiting to be stored', registers }),
    ),
    connections: get(
      'mikrotik_syslog_tcp_connections',
      () => new Gauge({ name: 'mikrotik_syslog_tcp_connections', help: 'Open syslog TCP connections', registers }),
    ),
  };
}
