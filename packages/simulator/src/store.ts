// The configuration store: menu paths with items, as RouterOS keeps them. Values are kept in export form
// (`yes`/`no`); the API layer converts. Items get device-wide increasing ids (`*1`, `*2`, ... `*1A`).
import type { Selector } from '@tod/rsc';

export interface Item {
  id: number;
  /** Configured properties, in the order they were set: what `/export` prints. */
  props: Map<string, string>;
  /** Read-only properties that identify a built-in item (`default-name=ether1`): printed, never exported. */
  fixed?: Map<string, string>;
  /** Built-in: exported as `set <selector> ...` when changed, cannot be removed. */
  builtin?: boolean;
  /** Created by the device itself (dynamic): never exported, cannot be removed or changed. */
  dynamic?: boolean;
  /** How an export addresses a built-in item (the selector the loaded export used). */
  selector?: Selector;
  /** `/file` entries with binary contents (backups, uploads): their bytes. Text files keep `contents` instead. */
  data?: Buffer;
}

export interface Menu {
  path: string;
  /** A menu with exactly one item and no ids (`/system/identity`). */
  singleton: boolean;
  items: Item[];
}

export type ChangeKind = 'add' | 'set' | 'remove';
export type ChangeListener = (path: string, item: Item, kind: ChangeKind) => void;

export interface StoreSnapshot {
  nextId: number;
  menus: Menu[];
}

/** Menus that are singletons on RouterOS (print gives one row without `.id`; `set` takes no selector). */
export const SINGLETON_MENUS = new Set([
  '/system/identity',
  '/system/clock',
  '/system/note',
  '/system/ntp/client',
  '/system/ntp/server',
  '/system/routerboard/settings',
  '/ip/dns',
  '/ip/settings',
  '/ip/cloud',
  '/ip/upnp',
  '/ip/ssh',
  '/ip/proxy',
  '/ip/socks',
  '/ip/neighbor/discovery-settings',
  '/ipv6/settings',
  '/interface/bridge/settings',
  '/interface/detect-internet',
  '/interface/l2tp-server/server',
  '/interface/pptp-server/server',
  '/interface/sstp-server/server',
  '/interface/wireless/align',
  '/interface/wireless/cap',
  '/interface/wireless/sniffer',
  '/interface/wireless/snooper',
  '/interface/wifi/cap',
  '/interface/wifi/capsman',
  '/tool/bandwidth-server',
  '/tool/e-mail',
  '/tool/romon',
  '/tool/sniffer',
  '/tool/graphing',
  '/snmp',
  '/radius/incoming',
  '/user/aaa',
  '/lcd',
  '/port/remote-access',
  '/ppp/aaa',
  '/certificate/settings',
  '/disk/settings',
  '/system/upgrade/mirror',
  '/system/watchdog',
  '/system/console/screen',
]);

export class ConfigStore {
  readonly menus = new Map<string, Menu>();
  private nextId = 1;
  private readonly listeners = new Set<ChangeListener>();

  menu(path: string, create = true): Menu | undefined {
    let m = this.menus.get(path);
    if (!m && create) {
      m = { path, singleton: SINGLETON_MENUS.has(path), items: [] };
      this.menus.set(path, m);
    }
    return m;
  }

  /** The one item of a singleton menu, created empty on first use. */
  singleton(path: string): Item {
    const m = this.menu(path) as Menu;
    m.singleton = true;
    // The item `set` without a selector addresses (menus such as /queue/interface mix both forms across versions).
    let item =
      m.items.find((i) => i.builtin && !i.selector && !i.fixed) ?? m.items.find((i) => i.builtin && !i.selector);
    if (!item) {
      item = { id: this.nextId++, props: new Map(), builtin: true };
      m.items.push(item);
    }
    return item;
  }

  add(path: string, props: Map<string, string>, extra: Partial<Item> = {}, before?: Item): Item {
    const m = this.menu(path) as Menu;
    const item: Item = { ...extra, id: this.nextId++, props };
    const at = before ? m.items.indexOf(before) : -1;
    if (at >= 0) m.items.splice(at, 0, item);
    else m.items.push(item);
    this.emit(path, item, 'add');
    return item;
  }

  set(path: string, item: Item, props: Map<string, string>): void {
    for (const [k, v] of props) {
      // `!name` (unset, as exports write it) and `name=value` replace each other.
      item.props.delete(k.startsWith('!') ? k.slice(1) : `!${k}`);
      item.props.set(k, v);
    }
    this.emit(path, item, 'set');
  }

  unset(path: string, item: Item, names: string[]): void {
    for (const n of names) item.props.delete(n);
    this.emit(path, item, 'set');
  }

  remove(path: string, item: Item): void {
    const m = this.menus.get(path);
    if (!m) return;
    const at = m.items.indexOf(item);
    if (at >= 0) m.items.splice(at, 1);
    this.emit(path, item, 'remove');
  }

  move(path: string, item: Item, before: Item | undefined): void {
    const m = this.menus.get(path);
    if (!m) return;
    m.items.splice(m.items.indexOf(item), 1);
    const at = before ? m.items.indexOf(before) : -1;
    if (at >= 0) m.items.splice(at, 0, item);
    else m.items.push(item);
    this.emit(path, item, 'set');
  }

  findById(path: string, id: number): Item | undefined {
    return this.menus.get(path)?.items.find((i) => i.id === id);
  }

  /** Property value as the device shows it: configured first, then the fixed identity. */
  static get(item: Item, name: string): string | undefined {
    return item.props.get(name) ?? item.fixed?.get(name);
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  snapshot(): StoreSnapshot {
    return { nextId: this.nextId, menus: [...this.menus.values()].map(cloneMenu) };
  }

  restore(snap: StoreSnapshot): void {
    this.menus.clear();
    for (const m of snap.menus) this.menus.set(m.path, cloneMenu(m));
    this.nextId = snap.nextId;
  }

  private emit(path: string, item: Item, kind: ChangeKind): void {
    for (const l of this.listeners) l(path, item, kind);
  }
}

function cloneMenu(m: Menu): Menu {
  return {
    path: m.path,
    singleton: m.singleton,
    items: m.items.map((i) => {
      const c: Item = { ...i, props: new Map(i.props) };
      if (i.fixed) c.fixed = new Map(i.fixed);
      return c;
    }),
  };
}
