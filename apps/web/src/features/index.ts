import { alertsFeature } from './alerts/feature';
import { apiKeysFeature } from './api-keys/feature';
import { auditFeature } from './audit/feature';
import { backupsFeature } from './backups/feature';
import { bulkCommandsFeature } from './bulk-commands/feature';
import { certificatesFeature } from './certificates/feature';
import { changesFeature } from './changes/feature';
import { dashboardFeature } from './dashboard/feature';
import { deviceFeature } from './device/feature';
import { devicesFeature } from './devices/feature';
import { assemble } from './feature';
import { firmwareFeature } from './firmware/feature';
import { inventoryFeature } from './inventory/feature';
import { logsFeature } from './logs/feature';
import { maintenanceFeature } from './maintenance/feature';
import { mapFeature } from './map/feature';
import { notificationsFeature } from './notifications/feature';
import { organisationsFeature } from './organisations/feature';
import { remoteAccessFeature } from './remote-access/feature';
import { reportsFeature } from './reports/feature';
import { rolloutsFeature } from './rollouts/feature';
import { settingsFeature } from './settings/feature';
import { simpleConfigFeature } from './simple-config/feature';
import { templatesFeature } from './templates/feature';
import { topologyFeature } from './topology/feature';
import { transparencyFeature } from './transparency/feature';
import { usersFeature } from './users/feature';
import { vpnFeature } from './vpn/feature';
import { wirelessFeature } from './wireless/feature';

/**
 * Every feature of the web app, in the order its pages, actions and device tabs appear. A new feature is its
 * folder (with a feature.ts) and one line here; see apps/web/README.md for what a new page or tab touches.
 */
export const features = assemble([
  dashboardFeature,
  devicesFeature,
  topologyFeature,
  mapFeature,
  deviceFeature,
  wirelessFeature,
  backupsFeature,
  changesFeature,
  simpleConfigFeature,
  rolloutsFeature,
  firmwareFeature,
  certificatesFeature,
  templatesFeature,
  bulkCommandsFeature,
  alertsFeature,
  notificationsFeature,
  maintenanceFeature,
  logsFeature,
  inventoryFeature,
  usersFeature,
  apiKeysFeature,
  vpnFeature,
  remoteAccessFeature,
  auditFeature,
  reportsFeature,
  transparencyFeature,
  organisationsFeature,
  settingsFeature,
]);
