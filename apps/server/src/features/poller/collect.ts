import { type RouterOSClient, type Row, TrapError } from '@tod/routeros';
import type { DeviceState } from './device-state.js';
import {
  INTERFACE_PROPLIST,
  parseHealth,
  parseInterfaces,
  parseLinkRates,
  parseResource,
  type Resource,
} from './parse.js';
import { applyRates } from './rates.js';
import type { InterfaceSample } from './types.js';

// The commands of one poll on an open session. Every cycle: resource, health, interfaces (in parallel: commands
// are tagged, so they share the session). Less often: identity, routerboard, DHCP leases (neighbours and radios:
// links.ts).

export type CoreData = {
  resource: Resource;
  health: { temperature: number | null; voltage: number | null };
  interfaces: InterfaceSample[] | null;
  /** Commands that failed (the poll is then degraded, reason `partial`). */
  failed: string[];
};

export async function collectCore(client: RouterOSClient): Promise<CoreData> {
  const [res, health, ifaces] = await Promise.allSettled([
    client.command('/system/resource/print'),
    client.command('/system/health/print'),
    client.command('/interface/print', {}, { proplist: INTERFACE_PROPLIST }),
  ]);
  if (res.status === 'rejected') throw res.reason;
  const failed: string[] = [];
  let healthRows: Row[] = [];
  if (health.status === 'fulfilled') healthRows = health.value;
  // A device without sensors (CHR, x86) has no /system/health: not a failure.
  else if (!(health.reason instanceof TrapError)) failed.push('/system/health');
  let interfaces: InterfaceSample[] | null = null;
  if (ifaces.status === 'fulfilled') interfaces = parseInterfaces(ifaces.value);
  else failed.push('/interface');
  return { resource: parseResource(res.value[0]), health: parseHealth(healthRows), interfaces, failed };
}

export function computeRates(state: DeviceState, interfaces: InterfaceSample[] | null, at: number, rebooted: boolean) {
  if (!interfaces) return;
  state.counters = applyRates(interfaces, state.counters, at, rebooted);
}

const MAX_ROWS = 2000;

export function pick(rows: Row[], keys: string[], max = MAX_ROWS): Array<Record<string, string>> {
  return rows.slice(0, max).map((r) => {
    const o: Record<string, string> = {};
    for (const k of keys) if (r[k] !== undefined) o[k] = r[k];
    return o;
  });
}

export async function optional(p: Promise<Row[]>): Promise<Row[] | undefined> {
  try {
    return await p;
  } catch (err) {
    // A menu the device does not have (no wireless package…) answers a trap: nothing to collect.
    if (err instanceof TrapError) return undefined;
    throw err;
  }
}

export type SlowData = {
  identity?: string;
  model?: string;
  serialNumber?: string;
  firmware?: string;
  facts: Record<string, unknown>;
};

/** The less frequent collection. Session failures propagate; missing menus are skipped. */
export async function collectSlow(client: RouterOSClient): Promise<SlowData> {
  const [identity, rb, leases] = await Promise.all([
    optional(client.command('/system/identity/print')),
    optional(client.command('/system/routerboard/print')),
    optional(client.command('/ip/dhcp-server/lease/print')),
  ]);
  const out: SlowData = { facts: {} };
  const id = identity?.[0]?.name;
  if (id) out.identity = id;
  const r = rb?.[0];
  if (r) {
    if (r.model) out.model = r.model;
    if (r['serial-number']) out.serialNumber = r['serial-number'];
    if (r['current-firmware']) out.firmware = r['current-firmware'];
    out.facts.routerboard = pick(
      [r],
      ['routerboard', 'board-name', 'model', 'serial-number', 'current-firmware', 'upgrade-firmware', 'firmware-type'],
    )[0];
  }
  if (leases)
    out.facts.dhcp_leases = pick(leases, [
      'address',
      'mac-address',
      'host-name',
      'status',
      'server',
      'dynamic',
      'expires-after',
      'last-seen',
    ]);
  return out;
}

/** Ports named in one `/interface/ethernet/monitor` command, and most ports asked about in one poll. */
export const LINK_RATE_BATCH = 64;
export const MAX_LINK_RATE_PORTS = 256;

/** The running, enabled ethernet ports of a sample: the ones that have a negotiated rate. */
export function linkedEthernet(interfaces: InterfaceSample[] | null): string[] {
  return (interfaces ?? [])
    .filter((i) => i.type === 'ether' && i.running === true && i.disabled !== true)
    .map((i) => i.name)
    .slice(0, MAX_LINK_RATE_PORTS);
}

/**
 * Negotiated rates of `names`: `/interface/ethernet/monitor numbers=ether1,ether2 once`, 64 ports a command. Every
 * name asked about gets an entry (null: no link, or a rate TOD cannot read), so it is not asked about again until
 * the next slow collection. A device that answers with a trap (no such menu, a port gone meanwhile) gives nulls.
 */
export async function collectLinkRates(client: RouterOSClient, names: string[]): Promise<Map<string, number | null>> {
  const batches: string[][] = [];
  for (let i = 0; i < names.length; i += LINK_RATE_BATCH) batches.push(names.slice(i, i + LINK_RATE_BATCH));
  const answers = await Promise.all(
    batches.map((b) =>
      optional(
        client.command(
          '/interface/ethernet/monitor',
          { numbers: b.join(','), once: '' },
          { proplist: ['name', 'status', 'rate'] },
        ),
      ),
    ),
  );
  const out = new Map<string, number | null>(names.map((n) => [n, null]));
  for (const rows of answers) for (const [n, bps] of parseLinkRates(rows ?? [])) if (out.has(n)) out.set(n, bps);
  return out;
}

/** Sets every sample's `linkSpeedBps`: the known rate of a running ethernet port, else null. */
export function applyLinkSpeeds(interfaces: InterfaceSample[] | null, rates: Map<string, number | null> | undefined) {
  for (const i of interfaces ?? []) {
    const linked = i.type === 'ether' && i.running === true && i.disabled !== true;
    i.linkSpeedBps = linked ? (rates?.get(i.name) ?? null) : null;
  }
}
