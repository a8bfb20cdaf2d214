import { BellOff, History } from 'lucide-react';
import { Card } from '@/components/ui/card';
import type { DeviceTabProps } from '../feature';
import { AlertSection } from './alert-section';
import { DeviceSilence } from './silence';

/** The device tab: its active alerts, its recent ones, and silencing its notifications. */
export default function AlertsTab({ tenantId, deviceId, device }: DeviceTabProps) {
  const name = device.name ?? 'this device';
  return (
    <div className="grid gap-4">
      <Card aria-label="Silence">
        <DeviceSilence tenantId={tenantId} deviceId={deviceId} deviceName={name} />
      </Card>
      <AlertSection
        section="active"
        tenantId={tenantId}
        filters={{ device_id: deviceId, state: 'active' }}
        pageSize={200}
        severityFirst
        showDevice={false}
        title="Active alerts"
        description="Critical first, newest first within each severity."
        empty={{ icon: BellOff, title: 'Nothing is wrong', text: `No rule is breached on ${name} right now.` }}
      />
      <AlertSection
        section="history"
        tenantId={tenantId}
        filters={{ device_id: deviceId, state: 'resolved' }}
        pageSize={20}
        showDevice={false}
        title="Recent alerts"
        description="Resolved, newest first, with how long each lasted."
        empty={{
          icon: History,
          title: 'No resolved alerts',
          text: 'Alerts of this device appear here once they resolve.',
        }}
      />
    </div>
  );
}
