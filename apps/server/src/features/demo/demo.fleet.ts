import type { DeviceSpec } from '@tod/simulator';

// A fleet that looks like a small MSP customer: a core, distribution switches, branch routers, access points and
// CPEs across RouterOS 6 and 7, with one device that flaps and one whose stored password is wrong.
const catalogue: {
  role: string;
  model: string;
  board: string;
  arch: string;
  version: string;
  wireless?: boolean;
  ports: number;
}[] = [
  { role: 'core', model: 'CCR2116-12G-4S+', board: 'CCR2116-12G-4S+', arch: 'arm64', version: '7.20.4', ports: 12 },
  {
    role: 'core',
    model: 'CCR2004-1G-12S+2XS',
    board: 'CCR2004-1G-12S+2XS',
    arch: 'arm64',
    version: '7.18.2',
    ports: 8,
  },
  { role: 'dist', model: 'CRS326-24G-2S+', board: 'CRS326-24G-2S+', arch: 'arm', version: '7.16', ports: 24 },
  { role: 'dist', model: 'CRS328-24P-4S+', board: 'CRS328-24P-4S+', arch: 'arm', version: '6.49.10', ports: 24 },
  { role: 'branch', model: 'RB5009UG+S+', board: 'RB5009UG+S+', arch: 'arm64', version: '7.18.2', ports: 8 },
  { role: 'branch', model: 'RB4011iGS+', board: 'RB4011iGS+', arch: 'arm', version: '7.16', ports: 10 },
  { role: 'branch', model: 'hEX S', board: 'RB760iGS', arch: 'mmips', version: '6.49.10', ports: 5 },
  {
    role: 'ap',
    model: 'hAP ax3',
    board: 'C53UiG+5HPaxD2HPaxD',
    arch: 'arm64',
    version: '7.18.2',
    wireless: true,
    ports: 5,
  },
  { role: 'ap', model: 'hAP ac2', board: 'RBD52G-5HacD2HnD', arch: 'arm', version: '7.16', wireless: true, ports: 5 },
  {
    role: 'ap',
    model: 'cAP ax',
    board: 'cAPGi-5HaxD2HaxD',
    arch: 'arm64',
    version: '7.20.4',
    wireless: true,
    ports: 2,
  },
  {
    role: 'cpe',
    model: 'SXTsq 5 ac',
    board: 'RBSXTsqG-5acD',
    arch: 'arm',
    version: '6.48.6',
    wireless: true,
    ports: 1,
  },
  { role: 'cpe', model: 'LHG 5', board: 'RBLHG-5nD', arch: 'mipsbe', version: '6.49.10', wireless: true, ports: 1 },
];

export const DEMO_DEVICES = 25;
export const DEMO_PASSWORD = 'demo-router-password';
export const FLAPPING_INDEX = 7;
export const WRONG_PASSWORD_INDEX = 24;

export function demoSpecs(count = DEMO_DEVICES): DeviceSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const c = catalogue[i % catalogue.length]!;
    const n = Math.floor(i / catalogue.length) + 1;
    const spec: DeviceSpec = {
      identity: `${c.role}-${String(i + 1).padStart(2, '0')}`,
      version: c.version,
      model: c.model,
      boardName: c.board,
      architecture: c.arch,
      serial: `HG${(0xa1b2c3 + i * 7919).toString(16).toUpperCase()}`,
      users: [{ name: 'admin', password: DEMO_PASSWORD }],
      generate: {
        interfaces: c.ports,
        firewallRules: 12,
        dhcpLeases: c.role === 'branch' || c.role === 'core' ? 20 : 0,
        ...(c.wireless ? { wireless: 1, wirelessClients: 4 + (i % 5) } : {}),
      },
      traffic: {
        bps: c.role === 'core' ? 400e6 : c.role === 'dist' ? 80e6 : 8e6 * n,
        linkedPorts: Math.min(c.ports, 3),
      },
      uptimeMs: (3 + i * 5) * 86_400_000,
      // Cores and branch routers have NAND to spare; switches, APs and CPEs have 16 MB of flash.
      totalHdd: c.role === 'core' || c.role === 'branch' ? 1024 * 1024 * 1024 : 16 * 1024 * 1024,
      latestVersion: c.version.startsWith('6') ? '6.49.17' : '7.20.4',
    };
    if (i === FLAPPING_INDEX) spec.faults = { flap: { upMs: 150_000, downMs: 90_000 } };
    return spec;
  });
}
