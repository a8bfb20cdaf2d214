// What a virtual device is: its identity, hardware, version, users, configuration source and live-state knobs.
import type { Faults } from './faults.js';
import type { UpdateServer } from './firmware.js';

export interface UserSpec {
  name: string;
  password: string;
  /** `full`, `write`, `read`, or a custom group from `groups`. Default `full`. */
  group?: string;
}

export interface GenerateOptions {
  /** Ethernet ports (ether1..N). Default 5. */
  interfaces?: number;
  /** VLAN interfaces on a bridge. Default 0. */
  vlans?: number;
  firewallRules?: number;
  addresses?: number;
  /** Dynamic DHCP leases. Default 0. */
  dhcpLeases?: number;
  /** Wireless interfaces (v6 `wireless`, v7 `wifi`), each with `wirelessClients` registrations. */
  wireless?: number;
  wirelessClients?: number;
  /** v7 can run the legacy `wireless` package (as the hAP ac² in the 7.16 fixtures) instead of `wifi`. */
  wirelessPackage?: 'wireless' | 'wifi';
  /** Wireless interface names: `wlan1`… (default) or `wifi1`… (what the wifi package calls them). */
  wirelessName?: 'wlan' | 'wifi';
  /**
   * The ports of the device's bridge (`bridge`), e.g. `['ether1', 'wlan1']` for an AP or CPE that bridges its radio;
   * `[]`: no bridge (a router). Default: ether2..N. The address goes on the bridge when ether1 is one of them.
   */
  bridgePorts?: string[];
}

export interface TrafficOptions {
  /** Mean bits per second on a running interface (each interface gets a stable share around it). Default 2 Mbit/s. */
  bps?: number;
  /** Mean bits per second of named interfaces (`{ ether1: 80_000_000 }`), instead of their share of `bps`. */
  interfaceBps?: Record<string, number>;
  /**
   * The rate named ethernet ports negotiate while they have link (`{ ether1: '100Mbps' }`, by name or default name),
   * as `/interface/ethernet/monitor` shows it. Default: the port's fastest (1Gbps on most boards, 100Mbps on Fast
   * Ethernet boards such as the hAP lite, 10Gbps on SFP+ cages).
   */
  linkRates?: Record<string, string>;
  /** Added to every byte counter, e.g. 2n**64n - 1000n to watch counters wrap. */
  counterStart?: bigint;
  /** Running ports: ether1..N are linked, the rest not running. Default 1. */
  linkedPorts?: number;
  /** Each running interface goes down for a tenth of every period (a link flap). 0 = never. */
  linkFlapPeriodMs?: number;
}

export interface DeviceSpec {
  identity?: string;
  /** RouterOS version, e.g. `7.16`, `6.49.10`, `6.42.12`. Default `7.16`. */
  version?: string;
  boardName?: string;
  model?: string;
  serial?: string;
  architecture?: string;
  softwareId?: string;
  users?: UserSpec[];
  /** `/export` text to start from. Takes precedence over `generate`. */
  exportText?: string;
  generate?: GenerateOptions;
  traffic?: TrafficOptions;
  /** `/system/package/update` latest-version on the stable channel (when `updates` offers none). Default: the installed version. */
  latestVersion?: string;
  /**
   * What MikroTik's update server offers per channel (`{ stable: ['6.49.17', '7.16.2'], 'long-term': '7.15.3',
   * upgrade: '7.16.2' }`; see firmware.ts). Pass one object to many devices (e.g. in the fleet's `base`) to share
   * it, and change it at run time to publish a release.
   */
  updates?: UpdateServer;
  /** `/system/package/update` channel at start: stable (default), long-term, testing, development, 6.49's upgrade. */
  channel?: string;
  /** v7: the packages installed beside `routeros` (`['wifi-qcom-ac']`). Default: `wifi-qcom-ac` on RouterBOARDs (`wireless` with `generate.wirelessPackage: 'wireless'`), none on x86. */
  packages?: string[];
  /** Size of every downloaded package file. Default: about what the real package weighs (11-15 MiB for RouterOS). */
  packageBytes?: number;
  /** How long `check-for-updates` asks the server. Default 300 ms. */
  updateCheckMs?: number;
  /** How long downloading the packages takes. Default 5000 ms. */
  downloadMs?: number;
  /** How long a reboot that installs packages keeps the device down. Default 8000 ms. */
  upgradeRebootMs?: number;
  /** RouterBOOT version running at start (`current-firmware`). Default: the installed RouterOS version. */
  currentFirmware?: string;
  /** Whether it is a RouterBOARD (has RouterBOOT to upgrade). Default: yes unless the architecture is x86 (CHR, PC). */
  routerboard?: boolean;
  /** api-ssl: a certificate (default) or anonymous DH only (what a router without a certificate offers). */
  tls?: 'cert' | 'anon';
  /** How long a reboot keeps the device down. Default 2000 ms. */
  rebootDelayMs?: number;
  /**
   * How long the device takes to give up on a session whose packets its input firewall drops (RouterOS: its TCP
   * timeout, 9 minutes). Then the session ends, and if it held safe mode its changes are undone. Default 540000.
   */
  safeModeTimeoutMs?: number;
  faults?: Faults;
  /** Uptime at start, so a fresh fleet does not look freshly booted. Default 0. */
  uptimeMs?: number;
  totalMemory?: number;
  totalHdd?: number;
  /** Free storage before the device's files (default: a share of totalHdd); backups and exports need room. */
  freeHdd?: number;
}
