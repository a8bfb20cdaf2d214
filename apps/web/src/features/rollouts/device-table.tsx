import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import type { OperationStatus } from '@/api/changes';
import type { DeviceStatus, RolloutDetail, RolloutDevice } from '@/api/rollouts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Select } from '@/components/ui/select';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { statusLabel as operationLabel } from '../changes/words';
import { waveName } from './waves';
import { deviceStatuses, deviceStatusLabel, deviceStatusTone, errorLabel } from './words';

// The rollout's devices in the order they are changed: wave, status (with the change operation's own state while
// it runs, and a link to answer it when a test-mode change waits for Keep), attempts and why one failed.

const ALL = 'all';
/** Rows rendered at once; a fleet-sized rollout shows more on request rather than 10,000 rows up front. */
const STEP = 300;

export function DeviceTable({ rollout }: { rollout: RolloutDetail }) {
  const [status, setStatus] = useState<DeviceStatus | typeof ALL>(ALL);
  const [shown, setShown] = useState(STEP);
  const hasCanary = rollout.waves.some((w) => w.canary);
  const canaryOf = new Map(rollout.waves.map((w) => [w.index, w.canary]));
  const rows = status === ALL ? rollout.devices : rollout.devices.filter((d) => d.status === status);
  const options = [
    { value: ALL, label: `Every status (${rollout.devices.length})` },
    ...deviceStatuses.map((s) => ({ value: s, label: `${deviceStatusLabel[s]} (${rollout.counts[s]})` })),
  ];
  return (
    <Card aria-label="Devices">
      <CardHeader
        title="Devices"
        description="In the order they are changed."
        actions={
          <Select
            aria-label="Device status"
            className="w-48"
            value={status}
            onValueChange={(v) => {
              setStatus(v as DeviceStatus | typeof ALL);
              setShown(STEP);
            }}
            options={options}
          />
        }
      />
      {rows.length === 0 ? (
        <p className="p-4 text-[13px] text-muted-foreground">
          No device is {deviceStatusLabel[status as DeviceStatus]?.toLowerCase()}.
        </p>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Device</Th>
              <Th>Wave</Th>
              <Th>Status</Th>
              <Th className="text-right">Attempts</Th>
              <Th>Error</Th>
            </tr>
          </THead>
          <TBody>
            {rows.slice(0, shown).map((d) => (
              <tr key={d.device_id} data-rollout-device={d.device_id} data-status={d.status}>
                <Td>
                  <Link
                    to="/devices/$deviceId"
                    params={{ deviceId: d.device_id }}
                    className="font-medium hover:underline"
                  >
                    {d.device_name}
                  </Link>
                </Td>
                <Td className="whitespace-nowrap text-muted-foreground">
                  {waveName({ index: d.wave, canary: canaryOf.get(d.wave) ?? false }, hasCanary)}
                </Td>
                <Td>
                  <DeviceState d={d} />
                </Td>
                <Td className="text-right tabular-nums">{d.attempts}</Td>
                <Td className="max-w-md">
                  {d.error ? (
                    <span className="grid gap-0.5" data-device-error={d.error.code}>
                      <span className={d.status === 'skipped' ? 'text-muted-foreground' : 'text-destructive'}>
                        {errorLabel(d.error.code)}
                      </span>
                      {d.error.message ? (
                        <span className="text-xs text-muted-foreground">{d.error.message}</span>
                      ) : null}
                    </span>
                  ) : (
                    <span className="text-muted-foreground">—</span>
                  )}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {rows.length > shown ? (
        <div className="border-t p-2 text-center">
          <Button variant="ghost" size="sm" onClick={() => setShown(shown + STEP)}>
            Show {Math.min(STEP, rows.length - shown)} more of {rows.length - shown}
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/** The device's status; while it runs, where its change operation is (a test-mode change waiting links to it). */
function DeviceState({ d }: { d: RolloutDevice }) {
  const op = d.status === 'running' ? (d.operation_status as OperationStatus | null) : null;
  return (
    <span className="flex flex-wrap items-center gap-1.5">
      <Badge tone={deviceStatusTone[d.status]}>{deviceStatusLabel[d.status]}</Badge>
      {op === 'awaiting_confirmation' ? (
        <Link
          to="/devices/$deviceId/$tab"
          params={{ deviceId: d.device_id, tab: 'config' }}
          className="text-xs font-medium text-warning underline-offset-4 hover:underline"
          data-operation-state={op}
        >
          {operationLabel[op]}
        </Link>
      ) : op ? (
        <span className="text-xs text-muted-foreground" data-operation-state={op}>
          {operationLabel[op] ?? op}
        </span>
      ) : null}
    </span>
  );
}
