import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { ConfigStore } from '../src/store.js';
import { formatRemote, topicsMatch } from '../src/syslog.js';
import { formatLogTime } from '../src/values.js';
import { connect, waitFor } from './helpers.js';

// Remote logging: a `/system logging action` of target remote and the rules using it make the router send each
// matching log line as a UDP syslog datagram from its own address, formatted as RouterOS does.

const entry = { id: 7, time: Date.UTC(2026, 2, 4, 9, 5, 7, 250), topics: 'system,error,critical', message: 'boom' };
const action = (props: Record<string, string>) => {
  const store = new ConfigStore();
  return store.add('/system/logging/action', new Map(Object.entries({ name: 'a', target: 'remote', ...props })));
};

describe('format and topics', () => {
  it("RouterOS's own format, BSD (RFC 3164) with either time format, facility and severity", () => {
    expect(formatRemote(entry, action({}), 'r1')).toBe('<26>system,error,critical boom');
    expect(formatRemote(entry, action({ 'bsd-syslog': 'yes' }), 'r1')).toBe('<26>Mar  4 09:05:07 r1 boom');
    expect(formatRemote(entry, action({ 'bsd-syslog': 'yes', 'syslog-time-format': 'iso8601' }), 'r1')).toBe(
      '<26>2026-03-04T09:05:07.250+00:00 r1 boom',
    );
    expect(formatRemote(entry, action({ 'syslog-facility': 'local7', 'syslog-severity': 'notice' }), 'r1')).toBe(
      '<189>system,error,critical boom',
    );
    expect(formatRemote({ ...entry, topics: 'script' }, action({}), 'r1')).toBe('<30>script boom');
  });

  it('a rule matches when every topic is there and no negated one', () => {
    expect(topicsMatch('info', ['system', 'info'])).toBe(true);
    expect(topicsMatch('route,bgp,debug', ['route', 'bgp'])).toBe(false);
    expect(topicsMatch('firewall,!info', ['firewall', 'info'])).toBe(false);
    expect(topicsMatch('firewall,!debug', ['firewall', 'info'])).toBe(true);
    expect(topicsMatch('', ['x'])).toBe(false);
  });
});

describe('/log times', () => {
  it('the time alone today, mmm/dd this year, the full date (ISO from 7.10) for other years', () => {
    const now = Date.UTC(2026, 2, 4, 12, 0, 0);
    expect(formatLogTime(Date.UTC(2026, 2, 4, 9, 5, 7), now, true)).toBe('09:05:07');
    expect(formatLogTime(Date.UTC(2026, 0, 2, 9, 5, 7), now, true)).toBe('jan/02 09:05:07');
    expect(formatLogTime(Date.UTC(1970, 0, 2, 2, 0, 9), now, false)).toBe('jan/02/1970 02:00:09');
    expect(formatLogTime(Date.UTC(1970, 0, 2, 2, 0, 9), now, true)).toBe('1970-01-02 02:00:09');
  });
});

describe('a simulated router logging remotely', () => {
  let fleet: Fleet;
  let sock: dgram.Socket;
  const got: Array<{ text: string; from: string }> = [];

  beforeAll(async () => {
    fleet = await startFleet({ devices: 2, subnet: '127.14.0.0/29', sshPort: false, tls: false });
    sock = dgram.createSocket('udp4');
    sock.on('message', (m, r) => got.push({ text: m.toString(), from: r.address }));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  });
  afterAll(async () => {
    sock?.close();
    await fleet?.stop();
  });

  it('sends the lines its rules match, once each, from its own address; not after the rule is disabled', async () => {
    const port = (sock.address() as { port: number }).port;
    const c = await connect(fleet.devices[1]!);
    await c.command('/system/logging/action/add', {
      name: 'tod',
      target: 'remote',
      remote: '127.0.0.1',
      'remote-port': String(port),
    });
    const [rule] = await c.command('/system/logging/print');
    expect(rule).toBeUndefined();
    await c.command('/system/logging/add', { topics: 'critical', action: 'tod' });
    await c.command('/system/logging/add', { topics: 'system,error', action: 'tod' });
    await c.command('/system/logging/add', { topics: 'info', action: 'memory' });
    const d = fleet.device(1);
    d.log('system,error,critical', 'login failure for user eve from 10.9.9.9 via ssh');
    d.log('system,info', 'not for the remote action');
    await waitFor(async () => got.length >= 1, 'first datagram');
    expect(got).toEqual([
      { text: '<26>system,error,critical login failure for user eve from 10.9.9.9 via ssh', from: '127.14.0.2' },
    ]);
    const rules = await c.command('/system/logging/print');
    for (const r of rules) await c.command('/system/logging/set', { '.id': r['.id']!, disabled: 'yes' });
    d.log('system,error,critical', 'after disabling');
    d.log('system,error,critical', 'a marker line');
    // Nothing more arrives: enable one rule again to have a line to wait for.
    await c.command('/system/logging/set', { '.id': rules[0]!['.id']!, disabled: 'no' });
    d.log('system,error,critical', 'enabled again');
    await waitFor(async () => got.length >= 2, 'second datagram');
    expect(got.map((g) => g.text.replace(/^<\d+>\S+ /, ''))).toEqual([
      'login failure for user eve from 10.9.9.9 via ssh',
      'enabled again',
    ]);
    await c.close();
  });
});
