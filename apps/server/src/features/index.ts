import type { AnyFeature } from '../platform/feature/assemble.js';
import { accountFeature } from './account/account.feature.js';
import { alertsFeature } from './alerts/alerts.feature.js';
import { apiKeysFeature } from './api-keys/api-keys.feature.js';
import { auditFeature } from './audit/audit.feature.js';
import { authFeature } from './auth/auth.feature.js';
import { bulkCommandsFeature } from './bulk-commands/bulk-commands.feature.js';
import { deviceGroupsFeature, deviceTagsFeature, sitesFeature } from './catalog/catalog.feature.js';
import { certificatesFeature } from './certificates/certificates.feature.js';
import { changesFeature } from './changes/changes.feature.js';
import { configBackupsFeature } from './config-backups/config-backups.feature.js';
import { credentialProfilesFeature } from './credential-profiles/credential-profiles.feature.js';
import { demoFeature } from './demo/demo.feature.js';
import { deviceAccessFeature } from './device-access/device-access.feature.js';
import { deviceLogsFeature } from './device-logs/device-logs.feature.js';
import { devicesFeature } from './devices/devices.feature.js';
import { eventsFeature } from './events/events.feature.js';
import { firmwareFeature } from './firmware/firmware.feature.js';
import { fleetFeature } from './fleet/fleet.feature.js';
import { healthFeature } from './health/health.feature.js';
import { ingestFeature } from './ingest/ingest.feature.js';
import { maintenanceWindowsFeature } from './maintenance-windows/maintenance-windows.feature.js';
import { metricsFeature } from './metrics/metrics.feature.js';
import { passwordResetFeature } from './password-reset/password-reset.feature.js';
import { pollerFeature } from './poller/poller.feature.js';
import { remoteAccessFeature } from './remote-access/remote-access.feature.js';
import { reportsFeature } from './reports/reports.feature.js';
import { rolloutsFeature } from './rollouts/rollouts.feature.js';
import { simpleConfigFeature } from './simple-config/simple-config.feature.js';
import { siteManagementFeature } from './sites/sites.feature.js';
import { srpFeature } from './srp/srp.feature.js';
import { sseFeature } from './sse/sse.feature.js';
import { templatesFeature } from './templates/templates.feature.js';
import { tenantsFeature } from './tenants/tenants.feature.js';
import { topologyFeature } from './topology/topology.feature.js';
import { transparencyFeature } from './transparency/transparency.feature.js';
import { usersFeature } from './users/users.feature.js';
import { vpnFeature } from './vpn/vpn.feature.js';
import { wirelessFeature } from './wireless/wireless.feature.js';

/**
 * Every feature of TOD, in the order their services are built (a feature may use the services of those above it).
 * Adding a feature is one line here; its folder holds everything else (see docs/ARCHITECTURE.md).
 */
export const features: readonly AnyFeature[] = [
  healthFeature,
  authFeature,
  srpFeature,
  passwordResetFeature,
  tenantsFeature,
  usersFeature,
  apiKeysFeature,
  auditFeature,
  transparencyFeature,
  accountFeature,
  sitesFeature,
  siteManagementFeature,
  deviceGroupsFeature,
  deviceTagsFeature,
  maintenanceWindowsFeature,
  credentialProfilesFeature,
  deviceAccessFeature,
  devicesFeature,
  eventsFeature,
  topologyFeature,
  wirelessFeature,
  deviceLogsFeature,
  configBackupsFeature,
  changesFeature,
  alertsFeature,
  rolloutsFeature,
  simpleConfigFeature,
  firmwareFeature,
  bulkCommandsFeature,
  templatesFeature,
  certificatesFeature,
  vpnFeature,
  remoteAccessFeature,
  fleetFeature,
  metricsFeature,
  reportsFeature,
  demoFeature,
  sseFeature,
  ingestFeature,
  pollerFeature,
];
