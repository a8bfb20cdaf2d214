// One virtual RouterOS device: identity and hardware, configuration store, users, log, files, faults, and its
// lifecycle (reboot, refusing, flapping). Sessions (session.ts) run commands against it.
import { randomBytes } from 'node:crypto';
import { type ExportDocument, parseExport } from '@tod/rsc';
import type { ExportHeaderInfo } from './export.js';
import type { Faults } from './faults.js';
import { filesBytes } from './files.js';
import { UPDATE_MENU } from './firmware.js';
import { applyBoot, type BootMode, installs, planBoot } from './firmware-boot.js';
import { generateConfig } from './generate.js';
import type { LiveContext } from './live.js';
import { loadExport } from './load.js';
import { seedDefaults } from './menus.js';
import { ACCESS_MENUS, Reachability, type ServiceName } from './reachability.js';
import type { SafeModeHold } from './safe-mode.js';
import { Scheduler } from './scheduler.js';
import type { DeviceSpec } from './spec.js';
import { type HostKey, hostKeyFor } from './ssh-keys.js';
import { ConfigStore, type Item, type StoreSnapshot } from './store.js';
import { RemoteLogging } from './syslog.js';
import { macFor, unit } from './values.js';
import { atLeast, type Behaviour, behaviourOf, parseVersion, type Version } from './version.js';
import type { WorldView } from './world-view.js';

export interface SessionLike {
  readonly id: number;
  /** The service it came through. */
  readonly service: ServiceName;
  /** The client's address, as the router sees it. */
  readonly remote: string;
  /** Drop the connection (reboot, fault, stop, service off, firewall reject). */
  drop(): void;
  /** The firewall drops its packets (true): stop reading and answering, keep the socket; false: resume. */
  blackhole(on: boolean): void;
}

export interface LogEntry {
  id: number;
  time: number;
  topics: string;
  message: string;
}

export interface DeviceHooks {
  /**
   * Which services take connections (`serviceAccepting`) may have changed: reboot, refuse, flaps, SSH faults,
   * `/ip service`. The fleet opens and closes its listeners to match.
   */
  changed(device: Device): void;
}

const LOG_LIMIT = 1000;

export class Device {
  readonly index: number;
  readonly key: string;
  readonly spec: DeviceSpec;
  /** The installed RouterOS (changed only by an install at boot: `setVersion`), and what follows from it. */
  version: Version;
  behaviour: Behaviour;
  readonly store = new ConfigStore();
  readonly boardName: string;
  readonly model: string;
  readonly serial: string;
  readonly architecture: string;
  readonly softwareId: string;
  address = '127.0.0.1';
  apiPort = 0;
  tlsPort = 0;
  sshPort = 0;
  winboxPort = 0;
  faults: Faults;
  /**
   * Work the router is doing, set at run time (a traffic storm, a hot cabinet): the CPU load and temperature its
   * resource and health menus report, instead of their idle wobble. Unset: idle.
   */
  load: { cpuLoad?: number; temperature?: number } = {};
  latestVersion: string;
  bootAt: number;
  readonly sessions = new Set<SessionLike>();
  readonly scheduler: Scheduler;
  /** Log lines sent to `/system logging action` targets of type remote (syslog.ts). */
  readonly remoteLog: RemoteLogging;
  /** The fleet's physical world this device is part of (cables, radio links, neighbours), if any. */
  world: WorldView | undefined;
  safeMode: SafeModeHold | undefined;
  hooks: DeviceHooks | undefined;
  readonly reach: Reachability;
  private logEntries: LogEntry[] = [];
  private logNextId = 1;
  private readonly logListeners = new Set<(e: LogEntry) => void>();
  private readonly stateListeners = new Set<() => void>();
  private rebootingUntil = 0;
  private rebootTimer: NodeJS.Timeout | undefined;
  private flapTimer: NodeJS.Timeout | undefined;
  private flapStart = 0;
  private stopped = false;
  private hostKeyGeneration = 0;
  private hostKeyCache: HostKey | undefined;

  constructor(spec: DeviceSpec, index = 0) {
    this.spec = spec;
    this.index = index;
    // A loaded export says which version, model and serial it came from; explicit settings win.
    const doc = spec.exportText !== undefined ? parsedExport(spec.exportText) : undefined;
    const h = doc?.header;
    this.version = parseVersion(spec.version ?? h?.version ?? '7.16');
    this.behaviour = behaviourOf(this.version);
    this.key = `${spec.serial ?? 'dev'}:${index}`;
    this.boardName = spec.boardName ?? 'hAP ac^2';
    this.model = spec.model ?? h?.model ?? 'RBD52G-5HacD2HnD';
    this.architecture = spec.architecture ?? 'arm';
    const serialHex = Math.floor(unit(`${this.key}:serial`) * 0xffffffffff)
      .toString(16)
      .toUpperCase()
      .padStart(10, '0');
    this.serial = spec.serial ?? h?.serial ?? `HD${serialHex}`;
    this.softwareId = spec.softwareId ?? h?.softwareId ?? `${serialHex.slice(0, 4)}-${serialHex.slice(4, 8)}`;
    this.faults = { ...(spec.faults ?? {}) };
    this.latestVersion = spec.latestVersion ?? this.version.text;
    this.bootAt = Date.now() - (spec.uptimeMs ?? 0);
    seedDefaults(this.store, this.key, spec.generate?.interfaces ?? 5, this.behaviour.v7);
    if (doc) loadExport(this.store, doc);
    else generateConfig(this.store, this.key, index, spec.generate ?? {}, this.behaviour.v7);
    if (spec.identity !== undefined) this.store.singleton('/system/identity').props.set('name', spec.identity);
    if (spec.channel !== undefined && spec.channel !== 'stable')
      this.store.singleton(UPDATE_MENU).props.set('channel', spec.channel);
    const users = spec.users ?? [{ name: 'admin', password: '', group: 'full' }];
    for (const u of users) {
      this.store.add(
        '/user',
        new Map([
          ['name', u.name],
          ['group', u.group ?? 'full'],
          ['password', u.password],
        ]),
      );
    }
    this.reach = new Reachability(this);
    this.store.onChange((path) => {
      if (ACCESS_MENUS.has(path)) this.reach.schedule();
    });
    this.scheduler = new Scheduler(this);
    this.remoteLog = new RemoteLogging(this);
    this.log('system,info', 'router rebooted');
    if (this.faults.flap) this.startFlap();
  }

  get identity(): string {
    return ConfigStore.get(this.store.singleton('/system/identity'), 'name') ?? 'MikroTik';
  }

  /** Whether the device is running at all (not stopped, rebooting or flapped down): its ports have link. */
  get poweredOn(): boolean {
    return !this.stopped && Date.now() >= this.rebootingUntil && !this.flapDown();
  }

  /**
   * Called when the device may have gone down or come up, or its configuration was restored wholesale (the world
   * re-reads its links). Returns the function that stops it.
   */
  onState(listener: () => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private emitState(): void {
    for (const l of this.stateListeners) l();
  }

  /** Whether the device takes new connections now. */
  get accepting(): boolean {
    if (this.stopped || this.faults.refuse || Date.now() < this.rebootingUntil) return false;
    return !this.flapDown();
  }

  /** Whether `service` is on: the device is up, no fault stops it, `/ip service` enables it. Its sessions live only while it is. */
  serviceUp(service: ServiceName): boolean {
    if (!this.accepting || (service === 'ssh' && this.faults.sshRefuse)) return false;
    return this.reach.enabled(service);
  }

  /** Whether `service` takes new connections on its listener: it is up and still on the port it started on. */
  serviceAccepting(service: ServiceName): boolean {
    return this.serviceUp(service) && this.reach.onBasePort(service);
  }

  get sshAccepting(): boolean {
    return this.serviceAccepting('ssh');
  }

  /** A new connection from `remote` to `service`: the input firewall, then the service's `address=` list. */
  admit(service: ServiceName, remote: string): 'accept' | 'drop' | 'reject' {
    return this.reach.admit(service, remote);
  }

  /** The SSH host key: the same for the same device across restarts, new after `regenerateHostKey`. */
  get hostKey(): HostKey {
    this.hostKeyCache ??= hostKeyFor(this.key, this.serial, this.hostKeyGeneration);
    return this.hostKeyCache;
  }

  /** `/ip ssh regenerate-host-key`: new connections see a new key. */
  regenerateHostKey(): void {
    this.hostKeyGeneration++;
    this.hostKeyCache = undefined;
    this.log('system,info', 'ssh host key regenerated');
  }

  live(now = Date.now()): LiveContext {
    const t = this.spec.traffic ?? {};
    return {
      key: this.key,
      v7: this.behaviour.v7,
      version: this.version.text,
      now,
      bootAt: this.bootAt,
      boardName: this.boardName,
      model: this.model,
      serial: this.serial,
      architecture: this.architecture,
      totalMemory: this.spec.totalMemory ?? 134_217_728,
      totalHdd: this.spec.totalHdd ?? 16_777_216,
      ...(this.spec.freeHdd !== undefined ? { freeHdd: this.spec.freeHdd } : {}),
      filesBytes: filesBytes(this),
      bps: t.bps ?? 2_000_000,
      ...(t.interfaceBps ? { interfaceBps: t.interfaceBps } : {}),
      ...(t.linkRates ? { linkRates: t.linkRates } : {}),
      counterStart: t.counterStart ?? 0n,
      linkedPorts: t.linkedPorts ?? 1,
      linkFlapPeriodMs: t.linkFlapPeriodMs ?? 0,
      ...(this.load.cpuLoad !== undefined ? { cpuLoad: this.load.cpuLoad } : {}),
      ...(this.load.temperature !== undefined ? { temperature: this.load.temperature } : {}),
    };
  }

  /** What `/export` prints in its header for this device. */
  exportHeader(now = new Date()): ExportHeaderInfo {
    return {
      version: this.version.text,
      behaviour: this.behaviour,
      now,
      softwareId: this.softwareId,
      model: this.model,
      serial: this.serial,
      modelLines: atLeast(this.version, '6.41'),
    };
  }

  /** Installs another RouterOS version (at boot): what the device reports and how it behaves follow it. */
  setVersion(text: string): void {
    this.version = parseVersion(text);
    this.behaviour = behaviourOf(this.version);
  }

  /** Contents of a file in `/file` (for tests and tools; API clients use /file/print or /file/read). */
  fileContents(name: string): string | undefined {
    const f = this.store.menu('/file', false)?.items.find((i) => ConfigStore.get(i, 'name') === name);
    return f ? ConfigStore.get(f, 'contents') : undefined;
  }

  macOf(name: string): string {
    return macFor(`${this.key}:${name}`);
  }

  // --- users -------------------------------------------------------------------------------------------------

  findUser(name: string): Item | undefined {
    return this.store.menu('/user')?.items.find((u) => ConfigStore.get(u, 'name') === name);
  }

  policies(user: Item): Set<string> {
    const group = ConfigStore.get(user, 'group') ?? '';
    const g = this.store.menu('/user/group')?.items.find((i) => ConfigStore.get(i, 'name') === group);
    const text = g ? (ConfigStore.get(g, 'policy') ?? '') : '';
    return new Set(text.split(',').filter((p) => p !== '' && !p.startsWith('!')));
  }

  // --- log ---------------------------------------------------------------------------------------------------

  log(topics: string, message: string): void {
    const e: LogEntry = { id: this.logNextId++, time: Date.now(), topics, message };
    this.logEntries.push(e);
    if (this.logEntries.length > LOG_LIMIT) this.logEntries.splice(0, this.logEntries.length - LOG_LIMIT);
    for (const l of this.logListeners) l(e);
  }

  get logs(): readonly LogEntry[] {
    return this.logEntries;
  }

  onLog(listener: (e: LogEntry) => void): () => void {
    this.logListeners.add(listener);
    return () => this.logListeners.delete(listener);
  }

  // --- faults and lifecycle ------------------------------------------------------------------------------------

  setFault(f: Partial<Faults>): void {
    const wasAccepting = this.accepting;
    this.faults = { ...this.faults, ...f };
    for (const [k, v] of Object.entries(f)) if (v === undefined) delete (this.faults as Record<string, unknown>)[k];
    if (f.flap !== undefined || 'flap' in f) {
      if (this.flapTimer) clearTimeout(this.flapTimer);
      this.flapTimer = undefined;
      if (this.faults.flap) this.startFlap();
    }
    this.transition(wasAccepting);
    this.servicesChanged();
  }

  clearFaults(): void {
    const wasAccepting = this.accepting;
    this.faults = {};
    if (this.flapTimer) clearTimeout(this.flapTimer);
    this.flapTimer = undefined;
    this.transition(wasAccepting);
    this.servicesChanged();
  }

  /**
   * `/system/reboot`: every session drops, connections are refused for the delay, uptime restarts. Package files
   * in the file store are installed on the way (firmware-boot.ts), which takes `upgradeRebootMs` instead; with
   * the `neverComesBack` fault such a reboot never ends (until the next `reboot()`, a power cycle).
   */
  reboot(delayMs?: number, mode: BootMode = 'reboot'): void {
    const wasAccepting = this.accepting;
    this.log('system,info', 'system rebooted by request');
    const plan = planBoot(this, mode);
    const hang = installs(plan) && this.faults.neverComesBack === true;
    const ms = delayMs ?? (installs(plan) ? (this.spec.upgradeRebootMs ?? 8000) : (this.spec.rebootDelayMs ?? 2000));
    this.rebootingUntil = hang ? Number.POSITIVE_INFINITY : Date.now() + ms;
    this.dropSessions();
    this.transition(wasAccepting);
    this.emitState();
    if (this.rebootTimer) clearTimeout(this.rebootTimer);
    this.rebootTimer = undefined;
    if (hang) return;
    this.rebootTimer = setTimeout(() => {
      this.rebootTimer = undefined;
      this.bootAt = Date.now();
      this.rebootingUntil = 0;
      applyBoot(this, plan);
      this.log('system,info', 'router rebooted');
      this.scheduler.boot();
      this.emitState();
      if (this.accepting) this.hooks?.changed(this);
    }, ms);
  }

  /**
   * A session ended. The one holding safe mode reverts every change made since it was taken (by any session or
   * script): RouterOS undoes them when the holder's session ends other than by release. A black-holed session's
   * end is deferred until the router would notice it (reachability.ts).
   */
  sessionEnded(session: SessionLike): void {
    if (this.reach.deferEnd(session)) return;
    this.sessions.delete(session);
    if (this.safeMode?.session === session) {
      const snap = this.safeMode.snapshot;
      this.safeMode = undefined;
      this.restoreConfig(snap);
      this.log('system,info', 'safe mode changes reverted (session ended)');
    }
  }

  /** Restores a configuration snapshot (files are not configuration: they stay), then re-checks who can connect. */
  restoreConfig(snap: StoreSnapshot): void {
    const files = this.store.menu('/file', false);
    this.store.restore(snap);
    if (files) this.store.menus.set('/file', files);
    else this.store.menus.delete('/file');
    this.scheduler.arm();
    this.reach.schedule();
    this.emitState();
  }

  /** The router closes sessions itself (reboot, refuse, service off): it knows at once, black-holed or not. */
  dropSessions(service?: ServiceName): void {
    for (const s of [...this.sessions]) if (service === undefined || s.service === service) this.reach.kill(s);
  }

  /** Services may have been turned off or on: close the sessions of those that are off, and tell the fleet. */
  servicesChanged(): void {
    for (const s of [...this.sessions]) if (!this.serviceUp(s.service)) this.reach.kill(s);
    this.hooks?.changed(this);
  }

  stop(): void {
    this.stopped = true;
    if (this.rebootTimer) clearTimeout(this.rebootTimer);
    if (this.flapTimer) clearTimeout(this.flapTimer);
    this.scheduler.stop();
    this.remoteLog.stop();
    this.dropSessions();
    this.reach.stop();
    this.emitState();
  }

  private flapDown(): boolean {
    const f = this.faults.flap;
    if (!f) return false;
    return (Date.now() - this.flapStart) % (f.upMs + f.downMs) >= f.upMs;
  }

  private startFlap(): void {
    this.flapStart = Date.now();
    const tick = () => {
      const f = this.faults.flap;
      if (!f || this.stopped) return;
      const cycle = f.upMs + f.downMs;
      const pos = (Date.now() - this.flapStart) % cycle;
      const down = pos >= f.upMs;
      if (down) this.dropSessions();
      this.hooks?.changed(this);
      this.emitState();
      const next = down ? cycle - pos : f.upMs - pos;
      this.flapTimer = setTimeout(tick, Math.max(1, next));
      this.flapTimer.unref();
    };
    this.flapTimer = setTimeout(tick, f0(this.faults.flap?.upMs));
    this.flapTimer.unref();
  }

  private transition(wasAccepting: boolean): void {
    this.emitState();
    const now = this.accepting;
    if (wasAccepting && !now) {
      this.dropSessions();
      this.hooks?.changed(this);
    } else if (!wasAccepting && now) this.hooks?.changed(this);
  }
}

function f0(n: number | undefined): number {
  return Math.max(1, n ?? 1);
}

// A fleet started from one export parses it once (loading only reads the document).
let lastExport: { text: string; doc: ExportDocument } | undefined;
function parsedExport(text: string): ExportDocument {
  if (lastExport?.text !== text) lastExport = { text, doc: parseExport(text) };
  return lastExport.doc;
}

export function randomChallenge(): string {
  return randomBytes(16).toString('hex');
}
