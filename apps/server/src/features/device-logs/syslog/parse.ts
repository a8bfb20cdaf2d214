import { type LogSeverity, severityOfSyslog, severityTopic } from '../severity.js';
import { cleanText, topicsOf } from '../text.js';

// One syslog message → a log line. Three shapes arrive from routers:
//  - RFC 5424: `<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD [MSG]`.
//  - RFC 3164 (RouterOS `bsd-syslog=yes`): `<PRI>Mmm dd hh:mm:ss HOST MSG`, or with an RFC 3339 timestamp
//    (`syslog-time-format=iso8601`). RouterOS puts its identity as HOST and the message without its topics.
//  - RouterOS's own (`bsd-syslog=no`, the default): `<PRI>topics message`, no timestamp, no host.
// A message with RouterOS topics in front (`system,info,account user admin logged in`) keeps them as topics.
// Times: a 3164 timestamp has no year and no zone, so the time received is used; a zoned timestamp is used when it
// is within a day of it (a router with a wrong clock would otherwise file its lines in the wrong days).

export type SyslogLine = {
  time: Date;
  severity: LogSeverity;
  topics: string[];
  message: string;
  /** The HOST field, when the message had one (for diagnostics; sources are matched by address). */
  hostname: string | null;
  format: 'rfc5424' | 'rfc3164' | 'routeros';
};

const PRI = /^<(\d{1,3})>/;
const RFC5424_HEAD = /^1 (\S{1,64}) (\S{1,255}) (\S{1,48}) (\S{1,128}) (\S{1,32}) /;
const BSD_TIME = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) ( \d|\d\d) \d\d:\d\d:\d\d(?:\.\d{1,6})? /;
const ISO_TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,9})?(?:Z|[+-]\d\d:\d\d)) /;
// RouterOS topics: words joined by commas, at least two (a facility and a severity, as RouterOS logs them).
const TOPICS = /^([a-z0-9][a-z0-9_-]*(?:,[a-z0-9][a-z0-9_-]*)+)(?: |$)/;
// Topics RouterOS uses; a comma list counts as topics only when it names one, so "yes,no" in a message stays text.
const KNOWN_TOPICS = new Set(
  (
    'critical error warning info debug packet raw system account firewall script dhcp interface wireless wifi caps ' +
    'ppp pppoe pptp l2tp sstp ovpn ipsec ike ospf bgp rip route dns ntp e-mail hotspot web-proxy radius ' +
    'certificate ups lte gps health manager state async bfd bridge stp ssh telnet ftp snmp smb vrrp watchdog ' +
    'event calc mme sertcp timer read write ddns update container netwatch dot1x lora zerotier wireguard ' +
    'backup poe-out rsvp mpls ldp igmp-proxy pim dude tr069 gsm isdn store'
  ).split(' '),
);
const DAY_MS = 86_400_000;

function splitTopics(content: string): { topics: string[]; message: string } {
  const m = TOPICS.exec(content);
  if (m) {
    const topics = topicsOf(m[1]);
    if (topics.some((t) => KNOWN_TOPICS.has(t))) return { topics, message: content.slice(m[0].length) };
  }
  return { topics: [], message: content };
}

/** A zoned timestamp, or the time received when it is absent, malformed or more than a day off. */
function timeOf(text: string | undefined, receivedAt: Date): Date {
  if (!text) return receivedAt;
  const t = Date.parse(text);
  return Number.isFinite(t) && Math.abs(t - receivedAt.getTime()) <= DAY_MS ? new Date(t) : receivedAt;
}

/** Skips RFC 5424 STRUCTURED-DATA (`-` or `[id k="v" …]…`, `\]` escaped in values); the index after it, or -1. */
function skipStructuredData(s: string, i: number): number {
  if (s[i] === '-') return i + 1;
  if (s[i] !== '[') return -1;
  while (s[i] === '[') {
    let quoted = false;
    for (i++; i < s.length; i++) {
      const c = s[i];
      if (quoted && c === '\\') i++;
      else if (c === '"') quoted = !quoted;
      else if (c === ']' && !quoted) break;
    }
    if (i >= s.length) return -1;
    i++;
  }
  return i;
}

/** Parses one message; null when it is not syslog (no valid priority) or carries nothing. */
export function parseSyslog(raw: string, receivedAt: Date): SyslogLine | null {
  const text = raw.replace(/[\r\n\0]+$/, '');
  const p = PRI.exec(text);
  if (!p) return null;
  const pri = Number(p[1]);
  if (pri > 191 || (p[1]!.length > 1 && p[1]!.startsWith('0'))) return null;
  let rest = text.slice(p[0].length);
  let format: SyslogLine['format'];
  let hostname: string | null = null;
  let time = receivedAt;

  const h5424 = RFC5424_HEAD.exec(rest);
  if (h5424) {
    format = 'rfc5424';
    const [, ts, host] = h5424;
    time = ts === '-' ? receivedAt : timeOf(ts, receivedAt);
    hostname = host === '-' ? null : (host ?? null);
    const end = skipStructuredData(rest, h5424[0].length);
    if (end < 0) return null;
    rest = rest
      .slice(end)
      .replace(/^ /, '')
      .replace(/^\ufeff/, '');
  } else {
    const bsd = BSD_TIME.exec(rest);
    const iso = bsd ? null : ISO_TIME.exec(rest);
    if (bsd || iso) {
      format = 'rfc3164';
      if (iso) time = timeOf(iso[1], receivedAt);
      rest = rest.slice((bsd ?? iso)![0].length);
      // HOST, unless the sender left it out and this is already the tag (`sshd[42]:`) or the topics.
      const host = /^(\S{1,255}) /.exec(rest);
      if (host && !/[:[\],]/.test(host[1]!)) {
        hostname = host[1]!;
        rest = rest.slice(host[0].length);
      }
    } else format = 'routeros';
  }
  const { topics, message } = splitTopics(rest);
  const clean = cleanText(message);
  if (clean === '' && topics.length === 0) return null;
  return {
    time,
    severity: severityTopic(topics) ?? severityOfSyslog(pri % 8),
    topics,
    message: clean,
    hostname,
    format,
  };
}
