import { describe, expect, it } from 'vitest';
import { rowsOfResults } from '../../src/features/device-logs/device-logs.repo.js';
import { severityOfSyslog, severityOfTopics } from '../../src/features/device-logs/severity.js';
import { FrameError, SyslogFramer } from '../../src/features/device-logs/syslog/framing.js';
import { parseSyslog } from '../../src/features/device-logs/syslog/parse.js';
import { RateLimiter } from '../../src/features/device-logs/syslog/rate.js';
import { normalizeAddress } from '../../src/features/device-logs/syslog/sources.js';
import { cleanText, topicsOf } from '../../src/features/device-logs/text.js';
import { clockOf, lineTime, parseLogTime } from '../../src/features/poller/log-time.js';
import { logIdOf } from '../../src/features/poller/logs.js';
import type { PollResult } from '../../src/features/poller/types.js';

const at = new Date('2026-03-04T12:00:00.000Z');

describe('syslog messages', () => {
  it("RouterOS's own format (bsd-syslog=no): priority, topics, message; the time received", () => {
    const l = parseSyslog('<30>system,info,account user admin logged in from 10.0.0.2 via winbox', at);
    expect(l).toEqual({
      time: at,
      severity: 'info',
      topics: ['system', 'info', 'account'],
      message: 'user admin logged in from 10.0.0.2 via winbox',
      hostname: null,
      format: 'routeros',
    });
    // Severity from the topics wins over a fixed syslog-severity.
    expect(parseSyslog('<30>system,error,critical login failure for user x from 1.2.3.4 via ssh', at)?.severity).toBe(
      'critical',
    );
    expect(parseSyslog('<28>firewall,warning input: in:ether1 out:(unknown 0), proto TCP', at)).toMatchObject({
      severity: 'warning',
      topics: ['firewall', 'warning'],
      message: 'input: in:ether1 out:(unknown 0), proto TCP',
    });
  });

  it('RFC 3164 (bsd-syslog=yes): host and message; severity from the priority; the BSD time is not trusted', () => {
    const l = parseSyslog('<27>Mar  4 13:47:47 core-router dhcp-client on ether1 lost IP address', at);
    expect(l).toMatchObject({
      time: at,
      severity: 'error',
      topics: [],
      hostname: 'core-router',
      message: 'dhcp-client on ether1 lost IP address',
      format: 'rfc3164',
    });
    expect(parseSyslog('<191>Mar 10 13:47:47 MikroTik ispadmin_2_pppoe:   host-uniq=0x36eaf2', at)).toMatchObject({
      severity: 'debug',
      message: 'ispadmin_2_pppoe:   host-uniq=0x36eaf2',
    });
    // No host (busybox style): the tag stays in the message.
    expect(parseSyslog('<30>Jun 23 13:17:42 chronyd[1119]: Selected source 192.168.65.1', at)).toMatchObject({
      hostname: null,
      message: 'chronyd[1119]: Selected source 192.168.65.1',
    });
    // An RFC 3339 stamp (syslog-time-format=iso8601) is used when it is within a day of receipt.
    const iso = parseSyslog('<30>2026-03-04T11:59:58.500+00:00 r1 system,info router rebooted', at);
    expect(iso).toMatchObject({ hostname: 'r1', topics: ['system', 'info'], message: 'router rebooted' });
    expect(iso?.time.toISOString()).toBe('2026-03-04T11:59:58.500Z');
    expect(parseSyslog('<30>1970-01-02T02:00:09+00:00 r1 system,info router rebooted', at)?.time).toEqual(at);
  });

  it('RFC 5424: timestamp, host, structured data skipped (with escapes), BOM dropped', () => {
    const l = parseSyslog(
      '<34>1 2026-03-04T11:55:22.123Z mymachine.example.com su - ID47 [exampleSDID@32473 iut="3" note="a \\] b"][x@1 k="v"] \ufeff\'su root\' failed for lonvick on /dev/pts/8',
      at,
    );
    expect(l).toMatchObject({
      severity: 'critical',
      hostname: 'mymachine.example.com',
      message: "'su root' failed for lonvick on /dev/pts/8",
      format: 'rfc5424',
    });
    expect(l?.time.toISOString()).toBe('2026-03-04T11:55:22.123Z');
    expect(parseSyslog('<165>1 - - - - - - firewall,info,packet hello', at)).toMatchObject({
      time: at,
      hostname: null,
      topics: ['firewall', 'info', 'packet'],
      severity: 'info',
      message: 'hello',
    });
  });

  it('garbage and hostile text: no priority, bad priority, empty, broken structured data → nothing; controls removed', () => {
    for (const g of [
      '',
      'hello',
      '<>x',
      '<192>too big',
      '<030>leading zero',
      '<13>',
      '<13>1 - - - - - [unclosed',
      '\0\0\0',
    ])
      expect(parseSyslog(g, at), JSON.stringify(g)).toBeNull();
    // A comma list that names no RouterOS topic is text.
    expect(parseSyslog('<14>yes,no maybe', at)).toMatchObject({ topics: [], message: 'yes,no maybe' });
    const l = parseSyslog(`<14>system,info a\u0000b\u001b[31mc\ud800d${'x'.repeat(5000)}`, at);
    expect(l?.message.startsWith('a b [31mc d')).toBe(true);
    expect(l?.message.length).toBe(2048);
  });
});

describe('TCP framing (RFC 6587)', () => {
  it('octet-counted and newline-framed messages, split anywhere', () => {
    const text = '23 <30>system,info hello A<30>system,info hello B\n13 <14>x,info yz\n<14>x,info w\r\n';
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const f = new SyslogFramer(1024);
      const frames = [...f.push(bytes.subarray(0, cut)), ...f.push(bytes.subarray(cut))].map((b) => b.toString());
      expect(frames).toEqual(['<30>system,info hello A', '<30>system,info hello B', '<14>x,info yz', '<14>x,info w\r']);
      expect(f.pending).toBe(0);
    }
  });

  it('an oversized frame or a line that never ends is an error, not memory', () => {
    expect(() => new SyslogFramer(100).push(Buffer.from('101 <14>'))).toThrow(FrameError);
    expect(() => new SyslogFramer(100).push(Buffer.from('9999999 <14>'))).toThrow(FrameError);
    const f = new SyslogFramer(100);
    f.push(Buffer.from(`<14>${'a'.repeat(90)}`));
    expect(() => f.push(Buffer.from('a'.repeat(20)))).toThrow(FrameError);
    expect(() => new SyslogFramer(100).push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(FrameError);
    expect(() => new SyslogFramer(100).push(Buffer.from('012 <14>x'))).toThrow(FrameError);
  });
});

describe('RouterOS /log times', () => {
  it('parses every form RouterOS prints', () => {
    expect(parseLogTime('12:52:24')).toEqual({ h: 12, m: 52, s: 24 });
    expect(parseLogTime('sep/15 09:54:33')).toEqual({ h: 9, m: 54, s: 33, month: 8, day: 15 });
    expect(parseLogTime('jan/02/1970 02:00:09')).toEqual({ h: 2, m: 0, s: 9, month: 0, day: 2, year: 1970 });
    expect(parseLogTime('1970-01-02 02:00:09')).toEqual({ h: 2, m: 0, s: 9, month: 0, day: 2, year: 1970 });
    expect(parseLogTime('03-17 16:13:38')).toEqual({ h: 16, m: 13, s: 38, month: 2, day: 17 });
    for (const bad of [undefined, '', 'yesterday', '25:00:00', 'foo/12 10:00:00', '12:00'])
      expect(parseLogTime(bad)).toBeNull();
  });

  it('turns local times into instants with the device clock (offset, today, this year), the same at every read', () => {
    // Device in UTC+2, its clock right.
    const now = Date.parse('2026-03-04T12:00:00Z');
    const clock = clockOf({ date: '2026-03-04', time: '14:00:00', 'gmt-offset': '+02:00' }, now);
    expect(clock).toEqual({ localMs: Date.parse('2026-03-04T14:00:00Z'), offsetMs: 7_200_000, readAt: now });
    expect(lineTime('13:59:58', clock, now)).toBe('2026-03-04T11:59:58.000Z');
    // Read later (across midnight the line shows a date): the same instant.
    expect(lineTime('mar/04 13:59:58', clock, now + 86_400_000)).toBe('2026-03-04T11:59:58.000Z');
    expect(lineTime('2026-03-04 13:59:58', clock, now + 86_400_000)).toBe('2026-03-04T11:59:58.000Z');
    // 23:59 read just after midnight is yesterday's; a date later in the year is last year's.
    const then = Date.parse('2026-03-05T00:00:30Z');
    const midnight = clockOf({ date: 'mar/05/2026', time: '00:00:30', 'gmt-offset': '+00:00' }, then);
    expect(lineTime('23:59:50', midnight, then)).toBe('2026-03-04T23:59:50.000Z');
    expect(lineTime('dec/31 10:00:00', midnight, then)).toBe('2025-12-31T10:00:00.000Z');
    expect(clockOf({ date: '2026-03-04', time: '14:00:00', 'gmt-offset': '-05:30' }, now)?.offsetMs).toBe(-19_800_000);
  });

  it('a device clock far off (no NTP, 1970) is corrected by its difference from ours', () => {
    const now = Date.parse('2026-03-04T12:00:00Z');
    const clock = clockOf({ date: 'jan/02/1970', time: '02:00:09', 'gmt-offset': '+00:00' }, now);
    expect(lineTime('jan/02/1970 02:00:00', clock, now)).toBe('2026-03-04T11:59:51.000Z');
    expect(lineTime('garbage', clock, now)).toBeNull();
    expect(lineTime('12:00:00', undefined, now)).toBeNull();
    expect(clockOf({ date: 'never', time: '' }, now)).toBeUndefined();
  });

  it('log ids', () => {
    expect(logIdOf('*1A3')).toBe(0x1a3);
    expect(logIdOf('*0')).toBe(0);
    for (const bad of [undefined, '', '1A3', '*', '*xyz', '*12345678901234']) expect(logIdOf(bad)).toBe(-1);
  });
});

describe('severity, text, topics, addresses, rates', () => {
  it('maps topics and syslog codes', () => {
    expect(severityOfTopics(['system', 'error', 'critical'])).toBe('critical');
    expect(severityOfTopics(['dhcp', 'debug', 'packet'])).toBe('debug');
    expect(severityOfTopics(['script'])).toBe('info');
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(severityOfSyslog)).toEqual([
      'critical',
      'critical',
      'critical',
      'error',
      'warning',
      'info',
      'info',
      'debug',
    ]);
  });

  it('cleans text and topics', () => {
    expect(cleanText(' a\tb\nc ')).toBe('a\tb c');
    expect(cleanText(`${'x'.repeat(2047)}😀`)).toBe('x'.repeat(2047));
    expect(topicsOf('System,INFO,,!packet,account,account')).toEqual(['system', 'info', 'account']);
    expect(topicsOf(Array.from({ length: 40 }, (_, i) => `t${i}`).join(','))).toHaveLength(16);
  });

  it('normalises addresses', () => {
    expect(normalizeAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(normalizeAddress('FE80::1%eth0')).toBe('fe80::1');
  });

  it('rate limits per source with a burst', () => {
    const r = new RateLimiter(10, 5);
    const t = 1_000_000;
    expect(Array.from({ length: 7 }, () => r.take('a', t))).toEqual([true, true, true, true, true, false, false]);
    expect(r.take('b', t)).toBe(true);
    expect(r.take('a', t + 100)).toBe(true);
    expect(r.take('a', t + 100)).toBe(false);
    r.prune(t + 10_000);
    expect(r.size).toBe(0);
  });

  it('poll lines become rows: topics cleaned, severity from topics, the poll time when a line has none', () => {
    const result = {
      tenantId: 't',
      deviceId: 'd',
      at: '2026-03-04T12:00:00.000Z',
      logs: [
        { id: '*1A', time: '2026-03-04T11:00:00.000Z', topics: ['system', 'error', 'critical'], message: 'boom' },
        { id: 'bogus', time: null, topics: [], message: 'x\u0000y' },
      ],
    } as unknown as PollResult;
    expect(rowsOfResults([result])).toEqual([
      expect.objectContaining({
        time: '2026-03-04T11:00:00.000Z',
        severity: 'critical',
        entry_id: '*1A',
        source: 'poll',
      }),
      expect.objectContaining({ time: '2026-03-04T12:00:00.000Z', severity: 'info', entry_id: null, message: 'x y' }),
    ]);
  });
});
