// `/system/scheduler` items that really fire: one timer per device, armed for the earliest due item, running the
// item's `on-event` (a script name or a script body) through the same executor as `/import`.
import type { Device } from './device.js';
import { runScript } from './script.js';
import { ConfigStore, type Item } from './store.js';
import { parseDuration } from './values.js';

const PATH = '/system/scheduler';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

interface State {
  anchor: number;
  runCount: number;
  nextRun: number | undefined;
  lastStarted?: number;
}

function parseDate(text: string): number | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (iso) return Date.UTC(Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]));
  const old = /^([a-z]{3})\/(\d{2})\/(\d{4})$/i.exec(text);
  if (old) {
    const month = MONTHS.indexOf((old[1] as string).toLowerCase());
    if (month >= 0) return Date.UTC(Number(old[3]), month, Number(old[2]));
  }
  return undefined;
}

export class Scheduler {
  private readonly device: Device;
  private readonly states = new Map<number, State>();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(device: Device) {
    this.device = device;
    device.store.onChange((path) => {
      if (path === PATH) this.arm();
    });
    this.arm();
  }

  /** Runtime fields shown by print. */
  info(item: Item): { runCount: number; nextRun: number | undefined; lastStarted: number | undefined } {
    const s = this.state(item, Date.now());
    return { runCount: s.runCount, nextRun: s.nextRun, lastStarted: s.lastStarted };
  }

  /** After a reboot: `start-time=startup` items run, the rest re-arm. */
  boot(): void {
    const now = Date.now();
    for (const item of this.items()) {
      const s = this.state(item, now);
      if (ConfigStore.get(item, 'start-time') === 'startup') s.nextRun = now;
    }
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private items(): Item[] {
    return this.device.store.menu(PATH, false)?.items ?? [];
  }

  private state(item: Item, now: number): State {
    let s = this.states.get(item.id);
    if (!s) {
      s = { anchor: now, runCount: 0, nextRun: undefined };
      this.states.set(item.id, s);
      s.nextRun = this.computeNext(item, s, now);
    }
    return s;
  }

  private computeNext(item: Item, s: State, now: number): number | undefined {
    if (ConfigStore.get(item, 'disabled') === 'yes') return undefined;
    const startTime = ConfigStore.get(item, 'start-time');
    if (startTime === 'startup') return undefined;
    const interval = parseDuration(ConfigStore.get(item, 'interval') ?? '0') ?? 0;
    let start = s.anchor + interval;
    const dateText = ConfigStore.get(item, 'start-date');
    const timeMs = startTime ? parseDuration(startTime) : undefined;
    if (timeMs !== undefined || dateText) {
      const today = new Date(now);
      const day =
        (dateText ? parseDate(dateText) : undefined) ??
        Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
      start = day + (timeMs ?? 0);
    }
    if (start > now) return start;
    if (interval <= 0) return undefined;
    return start + Math.ceil((now - start + 1) / interval) * interval;
  }

  /** Re-arms the timer for the earliest due item (after changes, and after a restored configuration). */
  arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const now = Date.now();
    const live = new Set<number>();
    let earliest: number | undefined;
    for (const item of this.items()) {
      live.add(item.id);
      const s = this.state(item, now);
      if (ConfigStore.get(item, 'disabled') === 'yes') s.nextRun = undefined;
      else if (s.nextRun === undefined) s.nextRun = this.computeNext(item, s, now);
      if (s.nextRun !== undefined && (earliest === undefined || s.nextRun < earliest)) earliest = s.nextRun;
    }
    for (const id of this.states.keys()) if (!live.has(id)) this.states.delete(id);
    if (earliest === undefined) return;
    this.timer = setTimeout(() => this.fire(), Math.max(0, earliest - now));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    const now = Date.now();
    if (!this.device.accepting) {
      // Down (rebooting): try again shortly, the scheduler runs when the device is up.
      this.timer = setTimeout(() => this.fire(), 200);
      this.timer.unref();
      return;
    }
    for (const item of [...this.items()]) {
      const s = this.states.get(item.id);
      if (!s || s.nextRun === undefined || s.nextRun > now) continue;
      s.runCount++;
      s.lastStarted = now;
      const interval = parseDuration(ConfigStore.get(item, 'interval') ?? '0') ?? 0;
      s.nextRun = interval > 0 ? s.nextRun + Math.ceil((now - s.nextRun + 1) / interval) * interval : undefined;
      const event = ConfigStore.get(item, 'on-event') ?? '';
      const script = this.device.store
        .menu('/system/script', false)
        ?.items.find((i) => ConfigStore.get(i, 'name') === event.trim());
      const body = script ? (ConfigStore.get(script, 'source') ?? '') : event;
      const result = runScript(this.device, body, ConfigStore.get(item, 'owner') ?? 'admin');
      if (result.error) this.device.log('script,error', `scheduler ${ConfigStore.get(item, 'name')}: ${result.error}`);
    }
    this.arm();
  }
}
