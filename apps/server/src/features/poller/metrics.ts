import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type PollerMetrics = ReturnType<typeof createPollerMetrics>;

export function createPollerMetrics(registry: Registry) {
  const registers = [registry];
  return {
    polls: new Counter({
      name: 'mikrotik_poll_total',
      help: 'Device polls by resulting status',
      labelNames: ['status'] as const,
      registers,
    }),
    duration: new Histogram({
      name: 'mikrotik_poll_duration_seconds',
      help: 'Time to poll one device (connect if needed, then every command of the cycle)',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    lag: new Histogram({
      name: 'mikrotik_poll_schedule_lag_seconds',
      help: 'How late a poll started after its slot',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    active: new Gauge({
      name: 'mikrotik_devices_active',
      help: 'Devices this poller currently reaches (online or degraded)',
      registers,
    }),
    overruns: new Counter({
      name: 'mikrotik_poll_overruns_total',
      help: 'Slots skipped because the previous poll of the device was still running',
      registers,
    }),
    logLines: new Counter({
      name: 'mikrotik_device_log_lines_total',
      help: "Lines of devices' logs the poller collected, and dropped (more arrived between polls than it keeps)",
      labelNames: ['outcome'] as const,
      registers,
    }),
    breakerSkips: new Counter({
      name: 'mikrotik_circuit_breaker_skips_total',
      help: 'Polls skipped because the device circuit breaker was open',
      registers,
    }),
  };
}
