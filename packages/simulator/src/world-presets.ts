// Ready-made worlds. `chain`: each device's last ethernet port cabled to the next device's first (ether1, its
// uplink). `treeWorld`: a switch tree, children on their parent's ether2.. (bridged, so siblings hear each other's
// MNDP through the parent). `wispWorld`: a WISP: a core router, tower routers on it (routed uplinks), sector APs on
// each tower's bridge, CPEs associated with the sectors as stations, one sector degrading. Presets return device
// specs to start the fleet with and the world to give it; both are deterministic.
import type { Device } from './device.js';
import type { DeviceSpec } from './spec.js';
import { macFor, unit } from './values.js';
import { currentName } from './world-ports.js';
import type { ClientSchedule, PortRef, WirelessClientSpec, WorldSpec } from './world-spec.js';

/** A fleet to start: device specs (merged over the fleet's `base`) and its world. */
export interface WorldPreset {
  specs: DeviceSpec[];
  world: WorldSpec;
}

/** The daisy chain: device i's last ethernet port to device i+1's first (devices with one port end the chain). */
export function chainWorld(devices: readonly Device[]): WorldSpec {
  const names = devices.map((d) => (d.store.menu('/interface/ethernet', false)?.items ?? []).map(currentName));
  const cables: NonNullable<WorldSpec['cables']> = [];
  for (let i = 0; i + 1 < devices.length; i++) {
    const mine = names[i] as string[];
    const next = names[i + 1] as string[];
    if (mine.length < 2 || next.length < 1) continue;
    cables.push({ id: `chain-${i}`, a: [i, mine.at(-1) as string], b: [i + 1, next[0] as string] });
  }
  return { cables };
}

/** A switch tree of `count` devices: device 0 the root, each device's children on its ether2, ether3, … */
export function treeWorld(count: number, fanout: number): WorldPreset {
  if (!Number.isInteger(count) || count < 1 || count > 100_000) throw new RangeError('treeWorld: count 1..100000');
  if (!Number.isInteger(fanout) || fanout < 1 || fanout > 64) throw new RangeError('treeWorld: fanout 1..64');
  const specs: DeviceSpec[] = [];
  const cables: NonNullable<WorldSpec['cables']> = [];
  for (let i = 0; i < count; i++) {
    const hasChildren = i * fanout + 1 < count;
    specs.push({
      identity: i === 0 ? 'root' : `sw-${i}`,
      generate: { interfaces: hasChildren ? Math.max(5, fanout + 1) : 5 },
    });
    if (i > 0) {
      const parent = Math.floor((i - 1) / fanout);
      const slot = (i - 1) % fanout;
      cables.push({ id: `tree-${parent}-${i}`, a: [parent, `ether${slot + 2}`], b: [i, 'ether1'] });
    }
  }
  return { specs, world: { cables } };
}

export interface WispOptions {
  towers: number;
  sectorsPerTower: number;
  cpesPerSector: number;
  /** How fast the degrading sector (the last one) loses signal, dB per hour. Default 0.5. */
  degradeDbPerHour?: number;
}

export interface WispPreset extends WorldPreset {
  /** Index of each device's role: `core`, `tower`, `ap`, `cpe`. */
  roles: string[];
  sectors: Array<{ tower: number; ap: PortRef; cpes: number[] }>;
  /** The sector that degrades. */
  degrading: PortRef;
}

/**
 * A WISP: core router 0, towers cabled to it (core ether2.. ↔ tower ether1, routed), sector APs on each tower's
 * ether2.. (bridged), CPEs associated with their sector. Every third sector runs RouterOS 7's wifi package (AP and
 * CPEs: `wifi1`, `configuration.mode=ap` / `station`); the others RouterOS 6 wireless (`wlan1`, `ap-bridge` /
 * `station-bridge`). APs and CPEs bridge their radio with ether1.
 */
export function wispWorld(o: WispOptions): WispPreset {
  const { towers, sectorsPerTower: sectors, cpesPerSector: cpes } = o;
  for (const [k, v, max] of [
    ['towers', towers, 1000],
    ['sectorsPerTower', sectors, 16],
    ['cpesPerSector', cpes, 256],
  ] as const)
    if (!Number.isInteger(v) || v < 1 || v > max) throw new RangeError(`wispWorld: ${k} 1..${max}`);
  const specs: DeviceSpec[] = [];
  const roles: string[] = [];
  const cables: NonNullable<WorldSpec['cables']> = [];
  const radios: NonNullable<WorldSpec['radios']> = [];
  const out: WispPreset['sectors'] = [];
  const add = (role: string, spec: DeviceSpec) => {
    specs.push(spec);
    roles.push(role);
    return specs.length - 1;
  };
  add('core', {
    identity: 'core',
    version: '7.16',
    boardName: 'CCR2004-1G-12S+2XS',
    model: 'CCR2004-1G-12S+2XS',
    architecture: 'arm64',
    generate: { interfaces: Math.max(5, towers + 1), bridgePorts: [] },
  });
  let sectorNo = 0;
  for (let t = 0; t < towers; t++) {
    const tower = add('tower', {
      identity: `tower-${t + 1}`,
      version: t % 2 === 0 ? '7.16' : '6.49.10',
      boardName: 'RB5009UG+S+',
      model: 'RB5009UG+S+IN',
      architecture: 'arm64',
      generate: {
        interfaces: Math.max(5, sectors + 1),
        bridgePorts: Array.from({ length: sectors }, (_, s) => `ether${s + 2}`),
      },
    });
    cables.push({ id: `backhaul-${t + 1}`, a: [0, `ether${t + 2}`], b: [tower, 'ether1'] });
    for (let s = 0; s < sectors; s++) {
      sectorNo++;
      const wifi = sectorNo % 3 === 0;
      const radio = wifi ? 'wifi1' : 'wlan1';
      const radioGen = wifi
        ? { wireless: 1, wirelessClients: 0, wirelessName: 'wifi' as const, bridgePorts: ['ether1', 'wifi1'] }
        : { wireless: 1, wirelessClients: 0, bridgePorts: ['ether1', 'wlan1'] };
      const ap = add('ap', {
        identity: `t${t + 1}-sector-${s + 1}`,
        version: wifi ? '7.16' : '6.49.10',
        boardName: wifi ? 'mANTBox ax 15s' : 'mANTBox 19s',
        model: wifi ? 'L22UGS-5HaxD2HaxD-15S' : 'RB921GS-5HPacD-19S',
        architecture: wifi ? 'arm64' : 'mipsbe',
        generate: { interfaces: 1, ...radioGen },
      });
      cables.push({ id: `tower-${t + 1}-sector-${s + 1}`, a: [tower, `ether${s + 2}`], b: [ap, 'ether1'] });
      const list: number[] = [];
      for (let c = 0; c < cpes; c++) {
        const cpe = add('cpe', {
          identity: `t${t + 1}s${s + 1}-cpe-${c + 1}`,
          version: wifi ? '7.16' : c % 2 === 0 ? '6.49.10' : '6.48.6',
          boardName: wifi ? 'LHG XL 5 ax' : 'LHG 5',
          model: wifi ? 'LHGG-5axD-XL' : 'RBLHG-5nD',
          architecture: wifi ? 'arm64' : 'mipsbe',
          generate: { interfaces: 1, ...radioGen },
        });
        radios.push({ id: `t${t + 1}s${s + 1}-cpe-${c + 1}`, ap: [ap, radio], station: [cpe, radio] });
        list.push(cpe);
      }
      out.push({ tower, ap: [ap, radio], cpes: list });
    }
  }
  const last = out.at(-1) as WispPreset['sectors'][number];
  return {
    specs,
    world: { cables, radios, degrade: [{ target: last.ap, dbPerHour: o.degradeDbPerHour ?? 0.5 }] },
    roles,
    sectors: out,
    degrading: last.ap,
  };
}

const VENDOR_OUIS = ['3C:22:FB', 'A4:83:E7', 'F0:18:98', '5C:E9:1E', 'DC:A6:32', '8C:85:90'];

/**
 * `count` phones and laptops on an AP interface, seeded by `seed`: some always there, the others coming and going
 * (present 60 % of every `periodMs`, default 20 minutes), a few with private (locally administered) MACs.
 */
export function wirelessClients(ap: PortRef, count: number, seed: string, periodMs = 1_200_000): WirelessClientSpec[] {
  if (!Number.isInteger(count) || count < 0 || count > 4096) throw new RangeError('wirelessClients: count 0..4096');
  return Array.from({ length: count }, (_, i) => {
    const key = `${seed}:${ap[0]}:${ap[1]}:${i}`;
    const h = macFor(key).split(':').slice(3);
    const g = macFor(`${key}#b`).split(':').slice(3);
    const oui = VENDOR_OUIS[Math.floor(unit(`${key}:oui`) * VENDOR_OUIS.length)] as string;
    const mac = unit(`${key}:private`) < 0.3 ? ['DA', g[0], g[1], ...h].join(':') : [oui, ...h].join(':');
    const schedule: ClientSchedule | undefined = i % 3 === 0 ? undefined : { periodMs, presentFraction: 0.6 };
    return {
      mac,
      ap,
      lastIp: `192.168.88.${100 + (i % 150)}`,
      ...(schedule ? { schedule } : {}),
    };
  });
}
