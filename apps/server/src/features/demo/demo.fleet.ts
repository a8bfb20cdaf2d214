import { type DeviceSpec, type PortRef, type WorldSpec, wirelessClients } from '@tod/simulator';

// A fleet that looks like a small MSP customer: a core, distribution switches, branch routers, access points and
// CPEs across RouterOS 6 and 7, with one device that flaps and one whose stored password is wrong. Its physical
// world (demoWorld): cores cabled together, distribution switches on the cores, branches and APs on the switches,
// CPEs on APs by radio, a vendor switch and an unmanaged MikroTik, phones coming and going, one degrading sector.
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
        // Registrations come from the world's radio links and clients.
        ...(c.wireless ? { wireless: 1, wirelessClients: 0 } : {}),
        // Cores route; APs bridge their radio with the LAN ports; CPEs bridge radio and ether1.
        ...(c.role === 'core' ? { bridgePorts: [] } : {}),
        ...(c.role === 'ap'
          ? { bridgePorts: [...Array.from({ length: c.ports - 1 }, (_, p) => `ether${p + 2}`), 'wlan1'] }
          : {}),
        ...(c.role === 'cpe' ? { bridgePorts: ['ether1', 'wlan1'] } : {}),
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

const cable = (id: string, a: PortRef, b: PortRef) => ({ id, a, b });

/** The demo fleet's cabling and radio links (device indexes as demoSpecs lays them out). */
export function demoWorld(count = DEMO_DEVICES): WorldSpec {
  const cables = [
    cable('core-01/core-02', [0, 'ether2'], [1, 'ether2']),
    cable('core-01/core-13', [0, 'ether3'], [12, 'ether2']),
    cable('core-02/core-14', [1, 'ether3'], [13, 'ether2']),
    cable('core-13/core-14', [12, 'ether3'], [13, 'ether3']),
    cable('core-01/core-25', [0, 'ether4'], [24, 'ether2']),
    cable('core-01/dist-03', [0, 'ether5'], [2, 'ether1']),
    cable('core-02/dist-04', [1, 'ether4'], [3, 'ether1']),
    cable('core-13/dist-15', [12, 'ether4'], [14, 'ether1']),
    cable('core-14/dist-16', [13, 'ether4'], [15, 'ether1']),
    cable('dist-03/branch-05', [2, 'ether2'], [4, 'ether1']),
    cable('dist-03/branch-06', [2, 'ether3'], [5, 'ether1']),
    cable('dist-03/ap-08', [2, 'ether4'], [7, 'ether1']),
    cable('dist-04/branch-07', [3, 'ether2'], [6, 'ether1']),
    cable('dist-04/ap-09', [3, 'ether3'], [8, 'ether1']),
    cable('dist-04/ap-22', [3, 'ether4'], [21, 'ether1']),
    cable('dist-15/branch-17', [14, 'ether2'], [16, 'ether1']),
    cable('dist-15/ap-10', [14, 'ether3'], [9, 'ether1']),
    cable('dist-15/ap-20', [14, 'ether4'], [19, 'ether1']),
    cable('dist-16/branch-18', [15, 'ether2'], [17, 'ether1']),
    cable('dist-16/branch-19', [15, 'ether3'], [18, 'ether1']),
    cable('dist-16/ap-21', [15, 'ether4'], [20, 'ether1']),
  ];
  const radios = [
    { id: 'ap-09/cpe-11', ap: [8, 'wlan1'] as PortRef, station: [10, 'wlan1'] as PortRef, baseSignal: -61 },
    { id: 'ap-09/cpe-12', ap: [8, 'wlan1'] as PortRef, station: [11, 'wlan1'] as PortRef, baseSignal: -68 },
    { id: 'ap-21/cpe-23', ap: [20, 'wlan1'] as PortRef, station: [22, 'wlan1'] as PortRef, baseSignal: -64 },
    { id: 'ap-20/cpe-24', ap: [19, 'wlan1'] as PortRef, station: [23, 'wlan1'] as PortRef, baseSignal: -66 },
  ];
  const within = (...refs: PortRef[]) => refs.every((r) => r[0] < count);
  return {
    cables: cables.filter((c) => within(c.a, c.b)),
    radios: radios.filter((r) => within(r.ap, r.station)),
    unmanaged: [
      {
        id: 'floor2-sw',
        identity: 'floor2-sw',
        mac: '00:1B:54:3C:10:01',
        platform: 'Cisco',
        version: '15.2(7)E4',
        description: 'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4',
        systemCaps: 'bridge,router',
        address: '10.20.0.2',
        attach: [2, 'ether10'] as PortRef,
        ports: ['Gi1/0/48'],
      },
      {
        id: 'lobby-hap',
        identity: 'lobby-hap',
        mac: '64:D1:54:8E:21:07',
        protocols: ['cdp' as const, 'lldp' as const, 'mndp' as const],
        version: '6.49.7 (stable)',
        board: 'RB952Ui-5ac2nD',
        attach: [16, 'ether5'] as PortRef,
        ports: ['ether1'],
      },
    ].filter((u) => within(u.attach)),
    clients: [
      ...wirelessClients([7, 'wlan1'], 5, 'demo'),
      ...wirelessClients([8, 'wlan1'], 2, 'demo'),
      ...wirelessClients([9, 'wlan1'], 4, 'demo'),
      ...wirelessClients([19, 'wlan1'], 3, 'demo'),
      ...wirelessClients([21, 'wlan1'], 6, 'demo'),
    ].filter((c) => within(c.ap)),
    // The sector of ap-21 loses signal slowly, as a misaligned or icing antenna would.
    degrade: within([22, 'wlan1']) ? [{ target: [20, 'wlan1'] as PortRef, dbPerHour: 1.5 }] : [],
  };
}
