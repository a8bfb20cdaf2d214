import { Link } from '@tanstack/react-router';
import { Cpu, Loader2 } from 'lucide-react';
import type { FirmwareDevice } from '@/api/firmware';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago } from '@/lib/format';
import { channelLabel, plural } from './words';

// Every device with what it runs and what its channel offers. Operators who may upgrade pick devices here; the
// upgrade dialog takes the picked ones.

function UpdateState({ d }: { d: FirmwareDevice }) {
  if (d.update_available) return <Badge tone="warning">Upgrade available</Badge>;
  if (d.check_due) return <Badge tone="info">Checking…</Badge>;
  if (d.check_error)
    return (
      <Badge tone="danger" title={d.check_error.message}>
        Check failed
      </Badge>
    );
  if (!d.checked_at) return <span className="text-xs text-muted-foreground">Not checked</span>;
  return <Badge tone="success">Up to date</Badge>;
}

function Routerboard({ d }: { d: FirmwareDevice }) {
  if (d.routerboard === false) return <span className="text-xs text-muted-foreground">None (x86/CHR)</span>;
  if (!d.current_firmware) return <span className="text-muted-foreground">—</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <span className="font-mono">{d.current_firmware}</span>
      {d.routerboard_upgrade_available ? (
        <Badge tone="warning" title={`RouterBOARD firmware ${d.upgrade_firmware} is ready to install`}>
          → {d.upgrade_firmware}
        </Badge>
      ) : null}
    </span>
  );
}

export function DevicesTable(props: {
  devices: FirmwareDevice[];
  total: number;
  loading: boolean;
  error: Error | null;
  selectable: boolean;
  selected: Set<string>;
  onSelect: (next: Set<string>) => void;
  onlyUpgrades: boolean;
  onOnlyUpgrades: (on: boolean) => void;
  more: { loading: boolean; load: () => void } | undefined;
}) {
  const { devices, selected } = props;
  const allSelected = devices.length > 0 && devices.every((d) => selected.has(d.device_id));
  const toggle = (id: string) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    props.onSelect(next);
  };
  const toggleAll = () => {
    const next = new Set(selected);
    for (const d of devices) {
      if (allSelected) next.delete(d.device_id);
      else next.add(d.device_id);
    }
    props.onSelect(next);
  };

  return (
    <Card aria-labelledby="firmware-devices">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b px-4 py-3">
        <div className="grid gap-0.5">
          <h2 id="firmware-devices" className="text-[13px] font-semibold">
            Devices
          </h2>
          <p className="text-xs text-muted-foreground" data-device-count>
            {plural(props.total, 'device')}
            {props.selectable && selected.size > 0 ? ` · ${selected.size} selected` : ''}
          </p>
        </div>
        <label className="flex items-center gap-2 text-[13px]">
          <input
            type="checkbox"
            checked={props.onlyUpgrades}
            onChange={(e) => props.onOnlyUpgrades(e.target.checked)}
          />
          Only devices with an upgrade
        </label>
      </header>
      {props.loading ? (
        <TableSkeleton cols={7} />
      ) : props.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the firmware inventory: {props.error.message}
        </p>
      ) : devices.length === 0 ? (
        <EmptyState icon={Cpu} title={props.onlyUpgrades ? 'Every device is up to date' : 'No devices yet'}>
          {props.onlyUpgrades
            ? 'No device has a newer RouterOS or RouterBOARD firmware waiting, as of its last check.'
            : 'Add routers on the Devices page; their firmware shows here once TOD reaches them.'}
        </EmptyState>
      ) : (
        <Table aria-label="Firmware of the devices">
          <THead>
            <tr>
              {props.selectable ? (
                <Th className="w-8 pr-0">
                  <input
                    type="checkbox"
                    aria-label="Select all devices shown"
                    checked={allSelected}
                    onChange={toggleAll}
                  />
                </Th>
              ) : null}
              <Th>Name</Th>
              <Th>Model</Th>
              <Th>Installed</Th>
              <Th>Channel</Th>
              <Th>Latest on channel</Th>
              <Th>RouterBOARD firmware</Th>
              <Th>Update</Th>
            </tr>
          </THead>
          <TBody>
            {devices.map((d) => (
              <tr
                key={d.device_id}
                data-device={d.name}
                data-update-available={d.update_available}
                data-selected={selected.has(d.device_id) || undefined}
              >
                {props.selectable ? (
                  <Td className="w-8 pr-0">
                    <input
                      type="checkbox"
                      aria-label={`Select ${d.name}`}
                      checked={selected.has(d.device_id)}
                      onChange={() => toggle(d.device_id)}
                    />
                  </Td>
                ) : null}
                <Td className="font-medium">
                  <Link to="/devices/$deviceId" params={{ deviceId: d.device_id }} className="hover:underline">
                    {d.name}
                  </Link>
                </Td>
                <Td className="text-muted-foreground">
                  {d.board_name ?? '—'}
                  {d.architecture ? <span className="ml-1 text-xs">({d.architecture})</span> : null}
                </Td>
                <Td className="font-mono" data-col="version">
                  {d.version ?? '—'}
                </Td>
                <Td data-col="channel">{d.channel ? (channelLabel[d.channel] ?? d.channel) : '—'}</Td>
                <Td className="font-mono" data-col="latest" title={d.checked_at ? `checked ${ago(d.checked_at)}` : ''}>
                  {d.latest_version ?? '—'}
                </Td>
                <Td data-col="routerboard">
                  <Routerboard d={d} />
                </Td>
                <Td data-col="update">
                  <UpdateState d={d} />
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {props.more ? (
        <div className="border-t p-2 text-center">
          <Button size="sm" variant="ghost" onClick={props.more.load} disabled={props.more.loading}>
            {props.more.loading ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Show more devices
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
