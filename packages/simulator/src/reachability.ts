// Who can reach a device's services, and what a configuration change does to connections already open — so a
// change that cuts a manager off really cuts it (what TOD's apply-with-revert engine must survive):
//  - `/ip service` disabled: new connections are refused, open sessions of that service are closed.
//  - `/ip service port=`: the fleet's listener stands for the port the service had when the device started
//    (8728/8729/22/8291 unless the loaded export said otherwise); configured on another port, the service no longer
//    accepts there (open sessions stay: RouterOS is not documented to close them).
//  - `/ip service address=`: a client whose address is not in the list is refused (checked when it connects).
//  - The input firewall (firewall.ts): a new connection is judged with connection-state=new; when rules or address
//    lists change, every open session is judged again with connection-state=established. `reject` closes it;
//    `drop` black-holes it: the simulator stops reading it and answering it but keeps the socket open, as a router
//    that silently drops packets does (the client sees a timeout). The router notices a black-holed session is gone
//    only after its TCP timeout (`safeModeTimeoutMs`, RouterOS: 9 minutes) — a client closing it meanwhile is not
//    seen either — and then ends it (a safe-mode holder's changes are undone then). Accepted again in time, the
//    session resumes.
//  - Rules and `address=` lists present when the device starts are taken to let its manager in: the simulator's
//    clients all come from loopback, and it cannot know which address or interface a real manager would use (a
//    fixture's "drop all remaining" rule follows accepts for a management subnet; its API allows one public
//    address). So a drop/reject rule that would catch a loopback client at start is exempt while its matchers and
//    action stay as they were, and so is a service's `address=` list while it is unchanged. Rules and lists added
//    or changed later are judged as written. A service disabled at start is off (as on RouterOS).
//  - Changing the device's own address (`/ip address`) is NOT modelled: the simulator listens on loopback (or its
//    subnet address) whatever the configuration says, so removing the address TOD uses cuts nothing here.
import type net from 'node:net';
import type { Device, SessionLike } from './device.js';
import { inAddressSpec, inputRules, inputVerdict, ipv4, ruleMatches, ruleSignature, type Verdict } from './firewall.js';
import { ConfigStore, type Item } from './store.js';

export type ServiceName = 'api' | 'api-ssl' | 'ssh' | 'winbox';
export const SERVICES: readonly ServiceName[] = ['api', 'api-ssl', 'ssh', 'winbox'];
const DEFAULT_PORTS: Record<ServiceName, number> = { api: 8728, 'api-ssl': 8729, ssh: 22, winbox: 8291 };
/** RouterOS's TCP timeout, after which it gives up on a session whose packets are dropped: 9 minutes. */
export const DEFAULT_TCP_TIMEOUT_MS = 540_000;
/** Menus whose changes can cut a connection. */
export const ACCESS_MENUS = new Set(['/ip/service', '/ip/firewall/filter', '/ip/firewall/address-list']);
/** The address the simulator's clients come from, for deciding which starting rules are exempt. */
const LOOPBACK = '127.0.0.1';

interface Hole {
  timer: NodeJS.Timeout;
  /** The client closed the connection meanwhile (the router, dropping its packets, did not see it). */
  gone: boolean;
}

export class Reachability {
  private readonly device: Device;
  private readonly basePorts: Record<ServiceName, number>;
  /** Input rules exempt for the manager (id → signature at start). */
  private readonly exempt = new Map<number, string>();
  /** `address=` lists at start that leave out loopback: taken to include the manager while unchanged. */
  private readonly exemptLists = new Map<ServiceName, string>();
  private readonly holes = new Map<SessionLike, Hole>();
  private pending: NodeJS.Immediate | undefined;

  constructor(device: Device) {
    this.device = device;
    this.basePorts = {
      api: this.port('api'),
      'api-ssl': this.port('api-ssl'),
      ssh: this.port('ssh'),
      winbox: this.port('winbox'),
    };
    this.exemptStartingRules();
    for (const service of SERVICES) {
      if (!this.listed(service, LOOPBACK)) this.exemptLists.set(service, this.addressList(service));
    }
  }

  private entry(service: ServiceName): Item | undefined {
    return this.device.store.menu('/ip/service', false)?.items.find((i) => ConfigStore.get(i, 'name') === service);
  }

  /** The port `/ip service` gives the service. */
  port(service: ServiceName): number {
    const e = this.entry(service);
    const p = Number(e ? ConfigStore.get(e, 'port') : undefined);
    return Number.isInteger(p) && p > 0 ? p : DEFAULT_PORTS[service];
  }

  /** The `/ip service` entry is enabled (a menu without the entry: enabled). */
  enabled(service: ServiceName): boolean {
    const e = this.entry(service);
    return e === undefined || ConfigStore.get(e, 'disabled') !== 'yes';
  }

  /** Still configured on the port the fleet's listener stands for. */
  onBasePort(service: ServiceName): boolean {
    return this.port(service) === this.basePorts[service];
  }

  private addressList(service: ServiceName): string {
    const e = this.entry(service);
    return e ? (ConfigStore.get(e, 'address') ?? '') : '';
  }

  private listed(service: ServiceName, remote: string): boolean {
    const list = this.addressList(service)
      .split(',')
      .filter((a) => a.trim() !== '');
    if (list.length === 0) return true;
    const addr = ipv4(remote);
    return addr !== undefined && list.some((a) => inAddressSpec(addr, a));
  }

  /** `address=` of the service allows `remote` (empty: everyone; as at start, when that left out loopback: all). */
  allowedFrom(service: ServiceName, remote: string): boolean {
    if (this.exemptLists.get(service) === this.addressList(service)) return true;
    return this.listed(service, remote);
  }

  /** The input chain's verdict on a connection from `remote` to `service`. */
  verdict(service: ServiceName, remote: string, state: 'new' | 'established'): Verdict {
    const p = { src: remote, dstPort: this.port(service), state } as const;
    return inputVerdict(this.device.store, p, (rule) => this.exempt.get(rule.id) === ruleSignature(rule));
  }

  /** A new connection: the firewall first (packets meet it before the service), then the service's `address=`. */
  admit(service: ServiceName, remote: string): Verdict {
    const v = this.verdict(service, remote, 'new');
    if (v !== 'accept') return v;
    return this.allowedFrom(service, remote) ? 'accept' : 'reject';
  }

  /** After a change to services, firewall or address lists: judge open sessions once the current command is done. */
  schedule(): void {
    this.pending ??= setImmediate(() => {
      this.pending = undefined;
      this.check();
    });
  }

  private check(): void {
    const d = this.device;
    d.servicesChanged();
    for (const s of [...d.sessions]) {
      const v = this.verdict(s.service, s.remote, 'established');
      if (v === 'reject') this.kill(s);
      else if (v === 'drop') this.blackhole(s);
      else this.reopen(s);
    }
  }

  /** How long the router takes to give up on a session whose packets it drops. */
  get timeoutMs(): number {
    return this.device.spec.safeModeTimeoutMs ?? DEFAULT_TCP_TIMEOUT_MS;
  }

  /** Whether `s` is black-holed. */
  holed(s: SessionLike): boolean {
    return this.holes.has(s);
  }

  private blackhole(s: SessionLike): void {
    if (this.holes.has(s)) return;
    const timer = setTimeout(() => this.kill(s), this.timeoutMs);
    timer.unref();
    this.holes.set(s, { timer, gone: false });
    s.blackhole(true);
    this.device.log('firewall,info', `connection from ${s.remote} dropped by the input filter`);
  }

  private reopen(s: SessionLike): void {
    const hole = this.holes.get(s);
    if (!hole) return;
    clearTimeout(hole.timer);
    this.holes.delete(s);
    // Packets flow again: a client that had closed meanwhile answers with a reset, and the router ends the session.
    if (hole.gone) this.device.sessionEnded(s);
    else s.blackhole(false);
  }

  /** The router ends the session itself (reject, timeout, service off, reboot): no longer deferred. */
  kill(s: SessionLike): void {
    this.forget(s);
    s.drop();
    this.device.sessionEnded(s);
  }

  forget(s: SessionLike): void {
    const hole = this.holes.get(s);
    if (hole) clearTimeout(hole.timer);
    this.holes.delete(s);
  }

  /**
   * The client closed `s`. A black-holed session's close never reaches the router: it ends only at the timeout
   * (or when packets flow again). Returns true when the end is deferred.
   */
  deferEnd(s: SessionLike): boolean {
    const hole = this.holes.get(s);
    if (!hole) return false;
    hole.gone = true;
    return true;
  }

  stop(): void {
    if (this.pending) clearImmediate(this.pending);
    this.pending = undefined;
    for (const h of this.holes.values()) clearTimeout(h.timer);
    this.holes.clear();
  }

  /** Starting drop/reject rules that would catch a loopback client (see the top of this file). */
  private exemptStartingRules(): void {
    const store = this.device.store;
    const src = ipv4(LOOPBACK) as number;
    for (const service of SERVICES) {
      for (const state of ['new', 'established'] as const) {
        const p = { src: LOOPBACK, dstPort: this.basePorts[service], state };
        for (const rule of inputRules(store)) {
          if (!ruleMatches(store, rule, p, src)) continue;
          if ((ConfigStore.get(rule, 'action') ?? 'accept') === 'accept') break;
          this.exempt.set(rule.id, ruleSignature(rule));
        }
      }
    }
  }
}

/**
 * A new connection the router will not take. Rejected: reset at once. Dropped: a real router leaves the SYN
 * unanswered (the client's connect times out); here the kernel has already accepted it, so the client connects and
 * then hears nothing — its login times out instead. The socket is closed after the TCP timeout.
 */
export function turnAway(raw: net.Socket, verdict: 'drop' | 'reject', device: Device): void {
  if (verdict === 'reject') {
    raw.resetAndDestroy();
    return;
  }
  raw.pause();
  const t = setTimeout(() => raw.destroy(), device.reach.timeoutMs);
  t.unref();
  raw.once('close', () => clearTimeout(t));
}
