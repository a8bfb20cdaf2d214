import type { AlertNotice } from '../../../src/features/alerts/notify/types.js';

/** A firing CPU alert; override what a test is about. */
export const notice = (o: Partial<AlertNotice> = {}): AlertNotice => ({
  deliveryId: 'dlv-1',
  event: 'alert.firing',
  status: 'firing',
  alertId: 'alert-1',
  rule: { id: 'rule-1', name: 'CPU high' },
  severity: 'critical',
  device: { id: 'dev-1', name: 'core-router-1', host: '10.0.0.1' },
  metric: 'cpu_load',
  interface: null,
  operator: '>',
  value: 95,
  threshold: 90,
  unit: '%',
  startedAt: '2026-05-01T14:03:00.000Z',
  resolvedAt: null,
  acknowledgedBy: null,
  acknowledgedNote: null,
  inMaintenance: false,
  organisation: { id: 'org-1', name: 'Acme' },
  url: 'https://tod.example/alerts/alert-1',
  test: false,
  ...o,
});

export const NOW = new Date('2026-05-01T14:33:00.000Z');
