import type { DeviceTabProps } from '../feature';
import { EditorProvider } from './editor';
import { MenuTable } from './menu-table';

// The DHCP tab: servers, their networks, address pools and leases, edited like any menu of the Config tab.

export default function DhcpTab({ tenantId, deviceId }: DeviceTabProps) {
  return (
    <EditorProvider tenantId={tenantId} deviceId={deviceId}>
      <MenuTable
        path="/ip/dhcp-server"
        title="DHCP servers"
        columns={[
          { key: 'name', label: 'Name' },
          { key: 'interface', label: 'Interface' },
          { key: 'address-pool', label: 'Pool' },
        ]}
      />
      <MenuTable
        path="/ip/dhcp-server/network"
        title="Networks"
        columns={[
          { key: 'address', label: 'Network' },
          { key: 'gateway', label: 'Gateway' },
          { key: 'dns-server', label: 'DNS' },
        ]}
      />
      <MenuTable
        path="/ip/pool"
        title="Address pools"
        columns={[
          { key: 'name', label: 'Name' },
          { key: 'ranges', label: 'Ranges' },
        ]}
      />
      <MenuTable
        path="/ip/dhcp-server/lease"
        title="Leases"
        columns={[
          { key: 'address', label: 'Address' },
          { key: 'mac-address', label: 'MAC' },
          { key: 'host-name', label: 'Host name' },
          { key: 'server', label: 'Server' },
          { key: 'status', label: 'Status' },
        ]}
        empty="No leases: no client has asked this router for an address yet."
      />
    </EditorProvider>
  );
}
