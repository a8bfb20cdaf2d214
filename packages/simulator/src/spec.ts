// What a virtual device is: its identity, hardware, version, users, configuration source and live-state knobs.
import type { Faults } from './faults.js';

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
  /** `/system/package/update` latest-version. Default: the installed version. */
  latestVersion?: string;
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
