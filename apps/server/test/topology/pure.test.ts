import { describe, expect, it } from 'vitest';
import type { PollResult } from '../../src/features/poller/types.js';
import { edgeState, edgesOf, type StoredObservation } from '../../src/features/topology/edges.js';
import { observationsOf } from '../../src/features/topology/observe.js';
import { coreTree, pathTo } from '../../src/features/topology/paths.js';

const result = (facts: Record<string, unknown>) => ({ facts }) as unknown as PollResult;

describe('sightings from router replies', () => {
  it('reads neighbours and registrations, bounded and checked, one sighting per port and remote', () => {
    const seen = observationsOf(
      result({
        neighbors: [
          { interface: 'ether2,bridge', 'mac-address': '4c:5e:0c:aa:bb:01', 'discovered-by': 'mndp' },
          { interface: 'ether2,bridge', 'mac-address': '4C:5E:0C:AA:BB:01', 'discovered-by': 'cdp,bogus' },
          { interface: 'ether3', identity: 'no-mac', address: '10.0.0.2', platform: 'MikroTik' },
          { interface: 'ether4', 'mac-address': 'not a mac' },
          { 'mac-address': '4C:5E:0C:AA:BB:02' },
          'junk',
          null,
        ],
        wireless: [
          { interface: 'wlan1', 'mac-address': 'AA-BB-CC-00-00-01', 'last-ip': '10.1.1.9' },
          { interface: 'wlan1' },
        ],
      }),
    );
    expect(seen?.neighbor).toBe(true);
    expect(seen?.rows.map((r) => [r.source, r.local_interface, r.remote_key, r.protocols.join('+')])).toEqual([
      ['neighbor', 'ether2', '4C:5E:0C:AA:BB:01', 'cdp+mndp'],
      ['neighbor', 'ether3', 'id:no-mac', 'mndp'],
      ['wireless', 'wlan1', 'AA:BB:CC:00:00:01', 'wireless'],
    ]);
    expect(observationsOf(result({}))).toBeNull();
    const many = Array.from({ length: 5000 }, (_, i) => ({
      interface: 'ether1',
      'mac-address': `02:00:00:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    }));
    expect(observationsOf(result({ neighbors: many }))?.rows).toHaveLength(2000);
  });
});

const obs = (o: Partial<StoredObservation>): StoredObservation => ({
  tenant_id: 't',
  device_id: 'a',
  source: 'neighbor',
  local_interface: 'ether1',
  remote_key: 'M',
  remote_mac: 'M',
  remote_identity: null,
  remote_address: null,
  remote_interface: null,
  remote_platform: null,
  remote_board: null,
  remote_version: null,
  protocols: ['mndp'],
  remote_device_id: null,
  last_seen: '2026-12-03T10:00:00.000Z',
  gone_at: null,
  ...o,
});

describe('edges', () => {
  it('merges both directions, fills interfaces from either end, and is up while either end sees it', () => {
    const [e, ...rest] = edgesOf([
      obs({ device_id: 'b', remote_device_id: 'a', local_interface: 'ether1', gone_at: '2026-12-03T10:00:00.000Z' }),
      obs({ device_id: 'a', remote_device_id: 'b', local_interface: 'ether2', remote_interface: 'ether1' }),
    ]);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({ node_a: 'a', node_b: 'b', up: true, down_since: null });
    expect(e?.evidence).toEqual([
      expect.objectContaining({
        protocol: 'mndp',
        source_interface: 'ether2',
        target_interface: 'ether1',
        gone_at: null,
      }),
    ]);
  });

  it('is down since the last end stopped seeing it, stale after a day; no edge to itself or to a phone', () => {
    const edges = edgesOf([
      obs({ remote_device_id: 'b', gone_at: '2026-12-03T10:00:00.000Z' }),
      obs({ device_id: 'b', remote_device_id: 'a', gone_at: '2026-12-03T11:00:00.000Z' }),
      obs({ remote_device_id: 'a', remote_key: 'self' }),
      obs({ source: 'wireless', remote_key: 'PHONE', protocols: ['wireless'] }),
    ]);
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({ up: false, down_since: '2026-12-03T11:00:00.000Z' });
    const at = Date.parse('2026-12-03T12:00:00.000Z');
    expect(edgeState(edges[0]!, at)).toBe('down');
    expect(edgeState(edges[0]!, at + 24 * 3_600_000)).toBe('stale');
  });
});

describe('paths from the core', () => {
  const e = (id: string, a: string, b: string, up = true) => ({ id, a, b, up });
  it('infers the best-connected managed device per part, prefers named cores, and routes over up links first', () => {
    const nodes = ['core', 'd1', 'd2', 'leaf', 'u:sw', 'x1', 'x2', 'lone'];
    const edges = [
      e('1', 'core', 'd1'),
      e('2', 'core', 'd2'),
      e('3', 'core', 'u:sw'),
      e('4', 'd1', 'leaf', false),
      e('5', 'd2', 'leaf'),
      e('6', 'x1', 'x2'),
    ];
    const managed = (n: string) => !n.startsWith('u:');
    const t = coreTree(nodes, edges, managed, new Set());
    expect(t.core.get('leaf')).toEqual({ node: 'core', named: false });
    expect(pathTo(t, 'leaf').map((h) => h.node)).toEqual(['core', 'd2', 'leaf']);
    expect(t.distance.get('x2')).toBe(1);
    expect(t.core.get('x2')).toEqual({ node: 'x1', named: false });
    // A device with no links has no place.
    expect(t.distance.has('lone')).toBe(false);
    expect(coreTree(nodes, edges, managed, new Set(['lone'])).distance.get('lone')).toBe(0);

    const named = coreTree(nodes, edges, managed, new Set(['leaf']));
    expect(named.distance.get('core')).toBe(2);
    expect(named.core.get('u:sw')).toEqual({ node: 'leaf', named: true });

    const cut = coreTree(
      nodes,
      [...edges.slice(0, 4), e('5', 'd2', 'leaf', false), edges[5]!],
      managed,
      new Set(['core']),
    );
    expect(cut.viaDown.has('leaf')).toBe(true);
    expect(cut.viaDown.has('d1')).toBe(false);
    expect(pathTo(cut, 'nowhere')).toEqual([]);
  });
});
