import { useState } from 'react';
import type { DeviceTabProps } from '../feature';
import { EditorProvider } from './editor';
import { type Column, MenuTable } from './menu-table';
import { Segmented } from './segmented';

// The Firewall tab: filter, NAT and mangle rules with their counters, and address lists, edited like any menu of
// the Config tab (one change set across the four).

const rule: Column[] = [
  { key: 'chain', label: 'Chain' },
  { key: 'action', label: 'Action' },
];
const menus = {
  filter: { path: '/ip/firewall/filter', title: 'Filter rules', columns: rule, counters: true },
  nat: { path: '/ip/firewall/nat', title: 'NAT rules', columns: rule, counters: true },
  mangle: { path: '/ip/firewall/mangle', title: 'Mangle rules', columns: rule, counters: true },
  lists: {
    path: '/ip/firewall/address-list',
    title: 'Address lists',
    columns: [
      { key: 'list', label: 'List' },
      { key: 'address', label: 'Address' },
    ],
    counters: false,
  },
} as const;
type Which = keyof typeof menus;

export default function FirewallTab({ tenantId, deviceId }: DeviceTabProps) {
  const [which, setWhich] = useState<Which>('filter');
  const m = menus[which];
  return (
    <EditorProvider tenantId={tenantId} deviceId={deviceId}>
      <Segmented
        label="Firewall section"
        value={which}
        onChange={setWhich}
        options={[
          ['filter', 'Filter'],
          ['nat', 'NAT'],
          ['mangle', 'Mangle'],
          ['lists', 'Address lists'],
        ]}
      />
      <MenuTable key={m.path} path={m.path} title={m.title} columns={[...m.columns]} counters={m.counters} />
    </EditorProvider>
  );
}
