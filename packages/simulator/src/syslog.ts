// Remote logging: a `/system logging action` with `target=remote` and the `/system logging` rules that use it.
// Each new log line whose topics a rule matches goes out as one UDP datagram from the device's address, formatted
// as RouterOS does:
//  - `bsd-syslog=no` (the default): `<PRI>topics message`, no timestamp and no host;
//  - `bsd-syslog=yes`: `<PRI>Mmm dd hh:mm:ss identity message` (RFC 3164; the topics are not sent), or with an
//    RFC 3339 timestamp when `syslog-time-format=iso8601`.
// PRI = facility (`syslog-facility`, default daemon) × 8 + severity (`syslog-severity`, default auto: from the
// line's critical/error/warning/info/debug topic). A rule's topics all have to be among the line's, and none of
// its `!topics` (`topics=firewall,!debug`). The device clock is UTC (as `/system clock` says).
// Only loopback targets are sent to: a simulated router runs beside the TOD it talks to, and the remote server named
// in a loaded real export is not one to send packets to.
import dgram from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { Device, LogEntry } from './device.js';
import { ConfigStore, type Item } from './store.js';

const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'clock',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];
const SEVERITIES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
const AUTO: Array<[string, number]> = [
  ['critical', 2],
  ['error', 3],
  ['warning', 4],
  ['info', 6],
  ['debug', 7],
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

const yes = (v: string | undefined) => v === 'yes' || v === 'true';

/** A rule's `topics` against a line's: every plain one present, no negated one. */
export function topicsMatch(ruleTopics: string, lineTopics: readonly string[]): boolean {
  const parts = ruleTopics
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (parts.length === 0) return false;
  return parts.every((t) => (t.startsWith('!') ? !lineTopics.includes(t.slice(1)) : lineTopics.includes(t)));
}

/** The datagram RouterOS sends for `entry` through an action with these properties. */
export function formatRemote(entry: LogEntry, action: Item, identity: string): string {
  const topics = entry.topics.split(',');
  const facility = Math.max(0, FACILITIES.indexOf(ConfigStore.get(action, 'syslog-facility') ?? 'daemon'));
  const fixed = SEVERITIES.indexOf(ConfigStore.get(action, 'syslog-severity') ?? 'auto');
  const severity = fixed >= 0 ? fixed : (AUTO.find(([t]) => topics.includes(t))?.[1] ?? 6);
  const pri = `<${facility * 8 + severity}>`;
  if (!yes(ConfigStore.get(action, 'bsd-syslog'))) return `${pri}${entry.topics} ${entry.message}`;
  const d = new Date(entry.time);
  const stamp =
    ConfigStore.get(action, 'syslog-time-format') === 'iso8601'
      ? `${d.toISOString().slice(0, 23)}+00:00`
      : `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(
          d.getUTCMinutes(),
        )}:${pad(d.getUTCSeconds())}`;
  return `${pri}${stamp} ${identity} ${entry.message}`;
}

const isLoopback = (host: string) => /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';

/** `remote=` (an address, or `address:port` as older versions print it) and `remote-port=`. */
function targetOf(action: Item): { host: string; port: number } | undefined {
  let host = ConfigStore.get(action, 'remote') ?? '';
  let port = Number(ConfigStore.get(action, 'remote-port') ?? '514');
  const withPort = /^(\d+\.\d+\.\d+\.\d+):(\d+)$/.exec(host);
  if (withPort) {
    host = withPort[1] as string;
    port = Number(withPort[2]);
  }
  if (!isLoopback(host) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return { host, port };
}

/** Sends the device's log lines to the remote actions its logging rules name. */
export class RemoteLogging {
  private readonly sockets = new Map<string, Promise<dgram.Socket | undefined>>();
  private readonly off: () => void;

  constructor(private readonly device: Device) {
    this.off = device.onLog((e) => this.line(e));
  }

  private line(e: LogEntry): void {
    const actions = this.device.store.menu('/system/logging/action', false)?.items ?? [];
    const remote = actions.filter((a) => ConfigStore.get(a, 'target') === 'remote');
    if (remote.length === 0) return;
    const rules = this.device.store.menu('/system/logging', false)?.items ?? [];
    const topics = e.topics.split(',');
    const sent = new Set<Item>();
    for (const rule of rules) {
      if (yes(ConfigStore.get(rule, 'disabled'))) continue;
      if (!topicsMatch(ConfigStore.get(rule, 'topics') ?? 'info', topics)) continue;
      const action = remote.find((a) => ConfigStore.get(a, 'name') === ConfigStore.get(rule, 'action'));
      if (!action || sent.has(action)) continue;
      sent.add(action);
      const target = targetOf(action);
      if (target) this.send(action, target, Buffer.from(formatRemote(e, action, this.device.identity)));
    }
  }

  private send(action: Item, target: { host: string; port: number }, datagram: Buffer): void {
    const src = ConfigStore.get(action, 'src-address');
    const from = src && src !== '0.0.0.0' && src !== '::' ? src : this.device.address;
    const type = isIPv6(target.host) ? 'udp6' : 'udp4';
    const key = `${type} ${from}`;
    let ready = this.sockets.get(key);
    if (!ready) {
      // Bound to the device's address, so the receiver sees the packet come from the router.
      ready = new Promise((resolve) => {
        const s = dgram.createSocket(type);
        s.on('error', () => resolve(undefined));
        s.bind({ address: type === 'udp6' ? '::' : from, port: 0 }, () => {
          s.unref();
          resolve(s);
        });
      });
      this.sockets.set(key, ready);
    }
    void ready.then((s) => s?.send(datagram, target.port, target.host, () => {}));
  }

  stop(): void {
    this.off();
    for (const ready of this.sockets.values()) void ready.then((s) => s?.close());
    this.sockets.clear();
  }
}
