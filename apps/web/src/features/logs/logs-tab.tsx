import type { DeviceTabProps } from '../feature';
import { LogView } from './log-view';

/** The device page's Logs tab: this device's lines. */
export default function LogsTab({ tenantId, deviceId }: DeviceTabProps) {
  return <LogView tenantId={tenantId} deviceId={deviceId} />;
}
