// @tod/simulator: virtual RouterOS devices speaking the real API protocol (and SSH, a WinBox echo) on real sockets.
export {
  BackupFileError,
  backupKind,
  decodeBackup,
  encodeBackup,
  MAGIC_AES,
  MAGIC_PLAIN,
  MAGIC_RC4,
} from './backup-file.js';
export { type CommandContext, CommandError, type Out } from './commands/context.js';
export { Device, type LogEntry } from './device.js';
export {
  type DownloadServer,
  type DownloadServerFaults,
  parsePackageFile,
  startDownloadServer,
} from './download-server.js';
export { type ExportOptions, exportDocument, exportText } from './export.js';
export type { Faults } from './faults.js';
export { fileBytes, fileName, findFile, listFiles } from './files.js';
export { type Channel, compareVersions, packageFileName, type UpdateServer } from './firmware.js';
export { type DeviceInfo, type Fleet, type FleetOptions, startFleet, subnetAddresses } from './fleet.js';
export { LoadError, loadExport } from './load.js';
export { buildNpk, type NpkInfo, type NpkSpec, readNpk } from './npk.js';
export { compileQuery, QueryError, type Row } from './query.js';
export { DRIFT_DB, SIGNAL_FLOOR, signalAt } from './radio.js';
export { runScript, type ScriptResult } from './script.js';
export type { DeviceSpec, GenerateOptions, TrafficOptions, UserSpec } from './spec.js';
export { fingerprintOf } from './ssh-keys.js';
export { ConfigStore, type Item, type Menu } from './store.js';
export { ANON_CIPHERS, ensureCertificate } from './tls.js';
export { atLeast, type Behaviour, behaviourOf, parseVersion, type Version } from './version.js';
export type { WinboxConnection } from './winbox.js';
export type {
  ExpectedEdge,
  ExpectedUnmanagedEdge,
  FleetWorld,
  NeighborView,
  RegistrationView,
} from './world.js';
export {
  chainWorld,
  treeWorld,
  type WispOptions,
  type WispPreset,
  type WorldPreset,
  wirelessClients,
  wispWorld,
} from './world-presets.js';
export {
  type CableSpec,
  type CapsmanSpec,
  type ClientSchedule,
  type DegradeSpec,
  type DiscoveryProtocol,
  type DiscoveryTiming,
  type PortRef,
  type RadioLinkSpec,
  type Topology,
  type UnmanagedNodeSpec,
  type WirelessClientSpec,
  WORLD_LIMITS,
  WorldError,
  type WorldSpec,
} from './world-spec.js';
