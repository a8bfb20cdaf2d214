// The radio side of the world, computed on read: who is associated with whom (radio links up now, unmanaged
// clients present on their schedule), with what signal (radio.ts: base, drift, noise, minus a degrading sector's
// loss), and the registration rows and RF status that follow. On the AP each station's wireless MAC (and each
// client) is a registration; on a station, its AP (`ap=true` on legacy wireless). A legacy CAPsMAN manager lists its
// CAPs' clients in `/caps-man/registration-table` (their own tables stay empty); a wifi CAPsMAN manager lists them
// in its `/interface/wifi/registration-table` as `cap-wifiN`.
import type { Device } from './device.js';
import type { Row } from './query.js';
import {
  type Association,
  bandOf,
  capsmanRegistrationRow,
  frequencyOf,
  legacyRegistrationRow,
  noiseFloorAt,
  type RadioBand,
  type RadioStatus,
  signalAt,
  wifiRegistrationRow,
} from './radio.js';
import { unit } from './values.js';
import type { World } from './world.js';
import type { WClient, WPort, WRadio } from './world-build.js';
import {
  addressOn,
  bindName,
  bridgeOf,
  currentName,
  findPort,
  interfaceMac,
  type PortItem,
  type PortMenu,
  radioChannel,
  radioName,
  radioRole,
  radioSsid,
} from './world-ports.js';
import type { PhysicalLink, RegistrationTable } from './world-view.js';

function firstAddress(d: Device): string | undefined {
  const a = d.store.menu('/ip/address', false)?.items[0];
  return a?.props.get('address')?.split('/')[0];
}

interface PortInfoLike {
  port: WPort;
  apRadios: WRadio[];
  staRadio?: WRadio;
  clients: WClient[];
}

interface PortStateLike {
  alive: boolean;
  aliveSince: number;
}

/** An association before it gets a row id and a local interface name. */
interface Assoc {
  key: string;
  data: Omit<Association, 'id' | 'localInterface'>;
  peer: { device: number; port: string } | { client: string };
  radio?: string;
}

interface Degrade {
  rate: number;
  t0: number;
  acc: number;
}

const ID_BASE = 0x1000;

export class WorldRadio {
  private readonly world: World;
  private readonly degrades = new Map<string, Degrade>();
  /** Row ids of current associations, per device and table (entries of gone associations are dropped on read). */
  private readonly ids = new Map<string, Map<string, number>>();
  private readonly nextId = new Map<number, number>();

  constructor(world: World) {
    this.world = world;
  }

  setDegrade(target: string, dbPerHour: number, now: number): void {
    const had = this.degrades.get(target);
    const acc = had ? this.offset(had, now) : 0;
    this.degrades.set(target, { rate: dbPerHour, t0: now, acc });
  }

  private offset(d: Degrade, t: number): number {
    return Math.max(0, d.acc + (d.rate * (t - d.t0)) / 3_600_000);
  }

  /** dB lost by a link (its own degradation and its sector's). */
  private loss(keys: string[], t: number): number {
    let total = 0;
    for (const k of keys) {
      const d = this.degrades.get(k);
      if (d) total += this.offset(d, t);
    }
    return total;
  }

  linkSignal(r: WRadio, t: number): { uplink: number; downlink: number } {
    const loss = this.loss([r.id, r.ap.key], t);
    const asym = Math.round(unit(`${r.id}:asym`) * 4) - 3;
    return {
      uplink: signalAt(`${r.id}:ul`, r.base + asym, t, loss),
      downlink: signalAt(`${r.id}:dl`, r.base, t, loss),
    };
  }

  private device(p: WPort): Device {
    return this.world.devices[p.device] as Device;
  }

  private item(p: WPort): PortItem | undefined {
    return findPort(this.device(p), p.bind);
  }

  private apUp(p: WPort): { since: number } | undefined {
    const found = this.world.aliveItem(p);
    if (!found || radioRole(found) !== 'ap') return undefined;
    const s = this.world.state.get(p.key);
    return s?.alive ? { since: s.aliveSince } : undefined;
  }

  /** When an unmanaged client associated (its current visit), or undefined when it is not there now. */
  clientSince(c: WClient, now: number): number | undefined {
    const ap = this.apUp(c.ap);
    if (!ap) return undefined;
    let since = ap.since;
    const s = c.schedule;
    if (s) {
      const phase = s.phaseMs ?? Math.floor(unit(`${c.mac}:phase`) * s.periodMs);
      const pos = (((now + phase) % s.periodMs) + s.periodMs) % s.periodMs;
      if (pos >= s.periodMs * s.presentFraction) return undefined;
      since = Math.max(since, now - pos);
    }
    return since;
  }

  private band(ap: WPort): { band: RadioBand; frequency: number } {
    const p = this.item(ap);
    const ch = p ? radioChannel(p) : { band: undefined, frequency: undefined, width: undefined };
    const band = bandOf(ch.band, ch.width);
    return { band, frequency: frequencyOf(ap.key, ch.frequency, band) };
  }

  private mikrotikOf(p: WPort): { radioName: string; routerosVersion: string } | undefined {
    const item = this.item(p);
    if (item?.menu !== '/interface/wireless') return undefined;
    const d = this.device(p);
    return { radioName: radioName(d, item), routerosVersion: d.version.text };
  }

  private addressOf(p: WPort): string | undefined {
    const d = this.device(p);
    const item = this.item(p);
    if (!item) return undefined;
    const name = currentName(item.item);
    // The address its traffic comes from: on the radio (or its bridge), else the device's first one.
    return addressOn(d, bridgeOf(d, name) ?? name) ?? firstAddress(d);
  }

  private macOf(p: WPort): string {
    const item = this.item(p);
    return item ? interfaceMac(this.device(p), item.item, currentName(item.item)) : '00:00:00:00:00:00';
  }

  /** The AP side: every station and client associated with AP port `info` now. */
  private apSide(info: PortInfoLike, now: number): Assoc[] {
    const ap = info.port;
    const apItem = this.item(ap);
    if (!apItem || !this.apUp(ap)) return [];
    const { band } = this.band(ap);
    const ssid = radioSsid(apItem);
    const nf = noiseFloorAt(ap.key, now);
    const out: Assoc[] = [];
    for (const r of info.apRadios) {
      const since = this.world.radioUp.get(r.id);
      if (since === undefined) continue;
      const st = this.item(r.station);
      const sig = this.linkSignal(r, now);
      const data: Omit<Association, 'id' | 'localInterface'> = {
        peerMac: this.macOf(r.station),
        peerIsAp: false,
        peerBridges: st ? radioRole(st) === 'station-bridge' : false,
        ssid,
        band,
        since,
        signal: sig.uplink,
        txSignal: sig.downlink,
        noiseFloor: nf,
        peerNoiseFloor: noiseFloorAt(r.station.key, now),
        bps: 1_000_000 + unit(`${r.id}:bps`) * 15_000_000,
        key: `${r.id}:ap`,
      };
      const mt = this.mikrotikOf(r.station);
      if (mt) data.peerMikrotik = mt;
      const ip = this.addressOf(r.station);
      if (ip) data.lastIp = ip;
      out.push({
        key: `${r.id}@${since}`,
        data,
        peer: { device: r.station.device, port: r.station.name },
        radio: r.id,
      });
    }
    for (const c of info.clients) {
      const since = this.clientSince(c, now);
      if (since === undefined) continue;
      const signal = signalAt(c.key, c.base, now, this.loss([ap.key], now));
      const data: Omit<Association, 'id' | 'localInterface'> = {
        peerMac: c.mac,
        peerIsAp: false,
        peerBridges: false,
        ssid,
        band,
        since,
        signal,
        txSignal: Math.min(-20, signal + 3),
        noiseFloor: nf,
        peerNoiseFloor: -95,
        bps: 200_000 + unit(`${c.key}:bps`) * 4_000_000,
        key: c.key,
      };
      data.lastIp = c.lastIp ?? `192.168.88.${10 + Math.floor(unit(`${c.mac}:ip`) * 240)}`;
      out.push({ key: `${c.key}@${since}`, data, peer: { client: c.mac } });
    }
    return out;
  }

  /** The station side: its association with its AP, when up. */
  private stationSide(r: WRadio, now: number): Assoc | undefined {
    const since = this.world.radioUp.get(r.id);
    const ap = this.item(r.ap);
    if (since === undefined || !ap) return undefined;
    const sig = this.linkSignal(r, now);
    const data: Omit<Association, 'id' | 'localInterface'> = {
      peerMac: this.macOf(r.ap),
      peerIsAp: true,
      peerBridges: false,
      ssid: radioSsid(ap),
      band: this.band(r.ap).band,
      since,
      signal: sig.downlink,
      txSignal: sig.uplink,
      noiseFloor: noiseFloorAt(r.station.key, now),
      peerNoiseFloor: noiseFloorAt(r.ap.key, now),
      bps: (1_000_000 + unit(`${r.id}:bps`) * 15_000_000) / 3,
      key: `${r.id}:sta`,
    };
    const mt = this.mikrotikOf(r.ap);
    if (mt) data.peerMikrotik = mt;
    const ip = this.addressOf(r.ap);
    if (ip) data.lastIp = ip;
    return { key: `${r.id}@${since}`, data, peer: { device: r.ap.device, port: r.ap.name }, radio: r.id };
  }

  /** The table a wireless interface's registrations appear in on its own device. */
  private tableOf(menu: PortMenu): RegistrationTable {
    return menu === '/interface/wifi' ? 'wifi' : 'wireless';
  }

  private capsmanKind(manager: Device): RegistrationTable {
    return manager.behaviour.v7 && !manager.store.menus.has('/interface/wireless') ? 'wifi' : 'capsman';
  }

  /** A legacy CAP's radio is driven by its CAPsMAN manager: its own table shows nothing. */
  private hiddenOnCap(p: WPort): boolean {
    for (const c of this.world.parts.capsman) {
      const m = this.world.devices[c.manager] as Device;
      if (this.capsmanKind(m) === 'capsman' && c.caps.some((x) => x.key === p.key) && p.menu === '/interface/wireless')
        return true;
    }
    return false;
  }

  /** Every association of `device`, with the table and local interface name it shows under. */
  private all(device: Device, now: number): Array<{ table: RegistrationTable; local: string; assoc: Assoc }> {
    const out: Array<{ table: RegistrationTable; local: string; assoc: Assoc }> = [];
    for (const info of this.world.ports.values()) {
      if (info.port.device !== device.index || info.port.menu === '/interface/ethernet') continue;
      const item = this.item(info.port);
      if (!item) continue;
      const local = currentName(item.item);
      const table = this.tableOf(item.menu);
      if ((info.apRadios.length > 0 || info.clients.length > 0) && !this.hiddenOnCap(info.port))
        for (const a of this.apSide(info, now)) out.push({ table, local, assoc: a });
      if (info.staRadio) {
        const a = this.stationSide(info.staRadio, now);
        if (a) out.push({ table, local, assoc: a });
      }
    }
    for (const c of this.world.parts.capsman) {
      if (c.manager !== device.index) continue;
      const kind = this.capsmanKind(device);
      c.caps.forEach((cap, n) => {
        const info = this.world.ports.get(cap.key);
        if (!info) return;
        const local = kind === 'wifi' ? `cap-wifi${n + 1}` : `cap${n + 1}`;
        for (const a of this.apSide(info, now)) out.push({ table: kind, local, assoc: { ...a, key: `cap:${a.key}` } });
      });
    }
    return out;
  }

  private idsFor(device: Device, table: RegistrationTable, keys: string[]): number[] {
    const mapKey = `${device.index}:${table}`;
    const had = this.ids.get(mapKey) ?? new Map<string, number>();
    const next = new Map<string, number>();
    const out = keys.map((k) => {
      let id = had.get(k);
      if (id === undefined) {
        id = ID_BASE + (this.nextId.get(device.index) ?? 0);
        this.nextId.set(device.index, id - ID_BASE + 1);
      }
      next.set(k, id);
      return id;
    });
    this.ids.set(mapKey, next);
    return out;
  }

  rows(device: Device, table: RegistrationTable, now: number): { rows: Row[]; replaces: Set<string> } {
    const replaces = new Set<string>();
    for (const info of this.world.ports.values()) {
      if (info.port.device !== device.index) continue;
      const item = this.item(info.port);
      if (item) replaces.add(currentName(item.item));
    }
    const mine = this.all(device, now).filter((x) => x.table === table);
    const ids = this.idsFor(
      device,
      table,
      mine.map((x) => x.assoc.key),
    );
    const rows = mine.map((x, i) => {
      const a: Association = { ...x.assoc.data, id: ids[i] as number, localInterface: x.local };
      if (table === 'wifi') return wifiRegistrationRow(a, now);
      if (table === 'capsman') return capsmanRegistrationRow(a, now);
      return legacyRegistrationRow(a, now, device.behaviour.v7);
    });
    return { rows, replaces };
  }

  views(device: Device, now: number) {
    return this.all(device, now).map((x) => ({
      table: x.table,
      interface: x.local,
      mac: x.assoc.data.peerMac,
      ap: x.assoc.data.peerIsAp,
      peer: x.assoc.peer,
      signal: x.assoc.data.signal,
      ...(x.assoc.radio ? { radio: x.assoc.radio } : {}),
    }));
  }

  /** An AP interface runs while it serves (legacy wireless: only with a client registered). */
  apLink(info: PortInfoLike, s: PortStateLike, now: number): PhysicalLink {
    if (!s.alive) return { running: false, downs: 0, upSince: 0 };
    const item = this.item(info.port);
    if (item?.menu === '/interface/wireless' && radioRole(item) === 'ap') {
      const serving = this.apSide(info, now).length > 0;
      return { running: serving, downs: 0, upSince: serving ? s.aliveSince : 0 };
    }
    return { running: true, downs: 0, upSince: s.aliveSince };
  }

  status(device: Device, menu: PortMenu, item: PortItem['item'], now: number): RadioStatus | undefined {
    const info = this.world.ports.get(`d${device.index}:${bindName(item)}`);
    if (!info) return undefined;
    const p: PortItem = { menu, item };
    const role = radioRole(p);
    const disabled = !this.world.aliveItem(info.port);
    const name = currentName(item);
    const local = (a: Assoc, id: number): Association => ({ ...a.data, id, localInterface: name });
    if (info.staRadio) {
      const a = this.stationSide(info.staRadio, now);
      const { band, frequency } = this.band(a ? info.staRadio.ap : info.port);
      return {
        name,
        disabled,
        role,
        band,
        frequency,
        noiseFloor: noiseFloorAt(info.port.key, now),
        ssid: radioSsid(p),
        associations: a ? [local(a, 0)] : [],
        ...(a ? { apMac: a.data.peerMac } : {}),
      };
    }
    const { band, frequency } = this.band(info.port);
    return {
      name,
      disabled,
      role,
      band,
      frequency,
      noiseFloor: noiseFloorAt(info.port.key, now),
      ssid: radioSsid(p),
      associations: this.hiddenOnCap(info.port) ? [] : this.apSide(info, now).map((a) => local(a, 0)),
    };
  }
}
