import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AuthError,
  ClosedError,
  ConnectError,
  FatalError,
  ReplyLimitError,
  RouterOSProtocolError,
  TimeoutError,
  TlsError,
  TrapError,
} from '@tod/routeros';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  accessFailureCodes,
  classify,
  DeviceAccessError,
  describeFailure,
  toAccessError,
} from '../../src/features/device-access/taxonomy.js';
import { features } from '../../src/features/index.js';
import { reasonOf } from '../../src/features/poller/status.js';
import { Gate, GateTimeout } from '../../src/platform/concurrency/gate.js';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';
import { registerCatalogs } from '../../src/platform/feature/assemble.js';
import { parseCidr } from '../../src/platform/net/cidr.js';

beforeAll(() => registerCatalogs(features));

// One classification for every feature: the probe and the poller used to disagree (a closed connection was
// `not_routeros` for one and `connection_lost` for the other).

const peer = 'PEER-BYTES-9c1e';

describe('classify', () => {
  it('maps every client error to one code; a closed connection depends on whether login had completed', () => {
    const cases: Array<[unknown, 'connect' | 'session', string]> = [
      [new ConnectError('ECONNREFUSED', 'x', 'h', 1), 'connect', 'refused'],
      [new ConnectError('ETIMEDOUT', 'x', 'h', 1), 'connect', 'timeout'],
      [new ConnectError('EHOSTUNREACH', 'x', 'h', 1), 'connect', 'unreachable'],
      [new ConnectError('ENETUNREACH', 'x', 'h', 1), 'connect', 'unreachable'],
      [new ConnectError('ENOTFOUND', 'x', 'h', 1), 'connect', 'dns'],
      [new ConnectError('EAI_AGAIN', 'x', 'h', 1), 'connect', 'dns'],
      [new TlsError('tls_handshake', 'x'), 'connect', 'tls'],
      [new TlsError('tls_fingerprint_mismatch', 'x', 'AB:CD'), 'connect', 'tls_fingerprint_mismatch'],
      [new AuthError('auth_failed', 'x'), 'connect', 'bad_credentials'],
      [new TimeoutError('login_timeout', 'x'), 'connect', 'timeout'],
      [new TimeoutError('command_timeout', 'x'), 'session', 'timeout'],
      [new RouterOSProtocolError('bad_reply', peer), 'connect', 'not_routeros'],
      [new RouterOSProtocolError('word_too_long', 'x'), 'session', 'reply_too_large'],
      [new RouterOSProtocolError('word_too_long', 'x'), 'connect', 'not_routeros'],
      [new ClosedError('closed', 'x'), 'connect', 'not_routeros'],
      [new ClosedError('closed', 'x'), 'session', 'connection_lost'],
      [new ClosedError('reset', 'x'), 'session', 'connection_lost'],
      [new ClosedError('reply_limit', 'x'), 'session', 'reply_too_large'],
      [new FatalError(peer), 'connect', 'not_routeros'],
      [new FatalError(peer), 'session', 'connection_lost'],
      [new ReplyLimitError('rows', 10, '/interface/print'), 'session', 'reply_too_large'],
      [new DeviceAccessError('target_denied', 'x'), 'session', 'target_denied'],
      [new DeviceAccessError('credentials_unavailable', 'x'), 'connect', 'credentials_unavailable'],
      [new TrapError([{ category: 0, message: peer }]), 'session', 'error'],
      [new Error(peer), 'session', 'error'],
    ];
    for (const [err, phase, code] of cases) expect(classify(err, phase), `${(err as Error).name} ${phase}`).toBe(code);
    // The poller's reasons are the same classification (connect failures reach it already classified).
    expect(reasonOf(new ClosedError('closed', 'x'))).toBe('connection_lost');
    expect(reasonOf(toAccessError(new ClosedError('closed', 'x'), 'connect'))).toBe('not_routeros');
  });

  it('describes failures in its own words: what the peer sent never appears', () => {
    const target = { host: '10.0.0.1', port: 8728, tlsPort: 8729 };
    for (const err of [
      new RouterOSProtocolError('bad_reply', `got "${peer}"`),
      new FatalError(peer),
      new TrapError([{ category: 1, message: peer }]),
      new TlsError('tls_certificate', `altnames DNS:${peer}`),
      new Error(peer),
    ]) {
      const e = toAccessError(err, 'connect', target);
      expect(e.message).toContain('10.0.0.1');
      expect(e.message).not.toContain(peer);
    }
    expect(
      describeFailure('tls_fingerprint_mismatch', target, new TlsError('tls_fingerprint_mismatch', 'x', 'AB:CD')),
    ).toContain('AB:CD');
  });

  it('gives every code an HTTP status when a feature lets it reach a client', () => {
    expect(new DeviceAccessError('target_denied', 'x').status).toBe(403);
    for (const code of accessFailureCodes) expect(new DeviceAccessError(code, 'x').status).toBeGreaterThanOrEqual(403);
  });
});

describe('DEVICE_NETWORKS_DENY', () => {
  it('takes IPv4 and IPv6 networks and bare addresses, and refuses anything else at boot', () => {
    expect(parseCidr('10.0.0.0/8')).toEqual({ address: '10.0.0.0', prefix: 8, family: 'ipv4' });
    expect(parseCidr(' fd00::/8 ')).toEqual({ address: 'fd00::', prefix: 8, family: 'ipv6' });
    expect(parseCidr('192.0.2.7')).toMatchObject({ prefix: 32 });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tod-deny-'));
    const base = { ENVIRONMENT: 'dev', TOD_DATA_DIR: dir, JWT_SECRET_KEY: 'x'.repeat(40) };
    expect(loadConfig({ ...base, DEVICE_NETWORKS_DENY: '10.0.0.0/8, fd00::/8' }).DEVICE_NETWORKS_DENY).toEqual([
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    for (const bad of ['10.0.0.0/33', 'fd00::/129', 'example.com/24', '10.0.0/8', '10.0.0.0/8/1', '10.0.0.0/x'])
      expect(() => loadConfig({ ...base, DEVICE_NETWORKS_DENY: bad }), bad).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, DEVICE_NETWORKS_DENY: '10.0.0.0/8,bogus' })).toThrow(
      /DEVICE_NETWORKS_DENY: "bogus"/,
    );
  });
});

describe('Gate', () => {
  it('admits up to its limit per key, in arrival order, and times waiters out', async () => {
    const g = new Gate(2);
    const a = await g.enter('k', 0);
    const b = await g.enter('k', 0);
    const order: string[] = [];
    const admitted = (name: string) => (release: () => void) => {
      order.push(name);
      return release;
    };
    const c = g.enter('k', 1000).then(admitted('c'));
    const d = g.enter('k', 1000).then(admitted('d'));
    await expect(g.enter('k', 20)).rejects.toBeInstanceOf(GateTimeout);
    expect(g.usage('k')).toEqual({ active: 2, waiting: 2 });
    await g.enter('other', 0); // keys are independent
    a();
    a(); // releasing twice frees one slot only
    (await c)();
    b();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(g.usage('k')).toEqual({ active: 0, waiting: 0 });
  });
});
