import { defineFeature } from '../../platform/feature/feature.js';
import { deviceLogsRepo } from '../device-logs/device-logs.repo.js';
import { startIngest } from './ingest.js';
import { deviceStateMessage } from './ingest.live.js';

/**
 * Worker role: stores poll results from the bus (device state, metrics, interfaces, events, facts), and in the same
 * transaction stores the device log lines they carry and evaluates alert rules on them.
 */
export const ingestFeature = defineFeature({
  name: 'ingest',
  // Sent after every poll, never stored: too frequent for the outbox.
  live: {
    // A poll's state replaces the previous one: a browser wants the latest per device, not every poll.
    'device.state': {
      permission: 'devices.read',
      schema: deviceStateMessage,
      coalesce: (m) => (typeof m.deviceId === 'string' ? m.deviceId : undefined),
    },
  },
  runners: {
    worker: ({ pools, bus, log, registry, services }) =>
      startIngest({
        system: pools.system,
        bus,
        log,
        registry,
        consumers: [
          { name: 'device_logs', consume: (db, results) => deviceLogsRepo.insertFromResults(db, results) },
          services.topology.consumer,
          services.wireless.consumer,
          services.alerts.evaluator,
        ],
        afterCommit: () => services.alerts.delivery.kick(),
      }),
  },
});
