import { describe, expect, it } from 'vitest';
import { changeKeys, changesLive, type MenuRow } from '../src/api/changes';
import { configKeys } from '../src/api/config-backups';
import {
  addEdit,
  describe as describeChange,
  type Edit,
  pendingFor,
  rowLabel,
  trapOf,
  withOperationError,
  withReviewError,
} from '../src/features/changes/change-set';
import { mergeClients, registrationMenus } from '../src/features/changes/clients';
import { clock, happyPath } from '../src/features/changes/words';

// The safe-changes screens' own logic: how edits join in a change set, where a router's refusal lands, and how
// clients are joined by MAC address.

const row = (properties: Record<string, string>, id: string | null = '*1', extra: Partial<MenuRow> = {}): MenuRow => ({
  id,
  properties,
  config: properties,
  flags: { dynamic: false, disabled: false, invalid: false, builtin: false },
  comment: null,
  ...extra,
});
const F = '/ip/firewall/filter';

describe('the change set', () => {
  it('joins a second edit of a row into the first, and says what it does', () => {
    let set: Edit[] = addEdit(
      [],
      { path: F, action: 'set', id: '*1', properties: { comment: 'a' } },
      'Change rule 1 in /ip firewall filter: comment=a',
    );
    set = addEdit(
      set,
      { path: F, action: 'set', id: '*1', properties: { 'dst-port': '22' } },
      'Change rule 1 in /ip firewall filter: dst-port=22',
    );
    expect(set).toHaveLength(1);
    expect(set[0]?.change.properties).toEqual({ comment: 'a', 'dst-port': '22' });
    expect(set[0]?.text).toBe('Change rule 1 in /ip firewall filter: comment=a dst-port=22');
    expect(pendingFor(set, F, '*1')).toEqual(['edited']);
    expect(pendingFor(set, F, '*2')).toEqual([]);
  });

  it('cancels a disable with an enable, and drops a row’s edits when it is deleted', () => {
    let set = addEdit([], { path: F, action: 'disable', id: '*2' }, 'Disable rule 2');
    set = addEdit(set, { path: F, action: 'enable', id: '*2' }, 'Enable rule 2');
    expect(set).toEqual([]);
    set = addEdit(set, { path: F, action: 'set', id: '*2', properties: { comment: 'x' } }, 'Change rule 2');
    set = addEdit(set, { path: F, action: 'disable', id: '*2' }, 'Disable rule 2');
    set = addEdit(set, { path: F, action: 'remove', id: '*2' }, 'Delete rule 2');
    expect(set.map((e) => e.change.action)).toEqual(['remove']);
    // Adds never join: each is its own new row.
    set = addEdit(set, { path: F, action: 'add', properties: { chain: 'input' } }, 'Add');
    set = addEdit(set, { path: F, action: 'add', properties: { chain: 'input' } }, 'Add');
    expect(set).toHaveLength(3);
  });

  it('names rows as people do and words each edit', () => {
    expect(rowLabel(row({ chain: 'input' }), 2, true)).toBe('rule 3');
    expect(rowLabel(row({ address: '10.0.0.1/24', interface: 'ether1' }), 0, false)).toBe('10.0.0.1/24');
    expect(rowLabel(row({}, '*7', { comment: 'uplink' }), 0, false)).toBe('“uplink”');
    expect(describeChange({ path: F, action: 'add', properties: { comment: 'allow ssh', chain: 'input' } }, '')).toBe(
      'Add to /ip firewall filter: comment="allow ssh" chain=input',
    );
    expect(describeChange({ path: F, action: 'move', id: '*3', destination: '*2' }, 'rule 3', 'up')).toBe(
      'Move rule 3 up in /ip firewall filter',
    );
  });
});

describe('where a refusal lands', () => {
  const set = [
    addEdit([], { path: F, action: 'set', id: '*1', properties: { comment: 'a' } }, 'one')[0] as Edit,
    addEdit([], { path: '/ip/address', action: 'set', id: '*5', properties: { interface: 'x' } }, 'two')[0] as Edit,
  ];

  it('reads the engine’s message: the router’s words, the property, the command', () => {
    expect(
      trapOf('input does not match any value of interface (interface): /ip address set [ find a=b ] interface=x'),
    ).toEqual({
      message: 'input does not match any value of interface',
      property: 'interface',
      cli: '/ip address set [ find a=b ] interface=x',
    });
    expect(trapOf('no item matches it any more: /ip address set [ find a=b ]')).toEqual({
      message: 'no item matches it any more',
      cli: '/ip address set [ find a=b ]',
    });
    expect(trapOf('TOD cannot open a new session')).toEqual({ message: 'TOD cannot open a new session' });
  });

  it('puts an operation’s error on the edit whose command was refused', () => {
    const out = withOperationError(set, {
      commands: ['/ip firewall filter set [ find chain=input ] comment=a', '/ip address set [ find a=b ] interface=x'],
      error: {
        code: 'apply_failed',
        message: 'bad (interface): /ip address set [ find a=b ] interface=x',
        command_index: 1,
        property: 'interface',
      },
    });
    expect(out[0]?.error).toBeUndefined();
    expect(out[1]?.error).toEqual({ message: 'bad', property: 'interface' });
  });

  it('puts a review’s 422 on the edit it numbers', () => {
    expect(withReviewError(set, 'change 1: no row *1 in /ip/firewall/filter')?.[0]?.error).toEqual({
      message: 'no row *1 in /ip/firewall/filter',
    });
    expect(withReviewError(set, 'something else')).toBeUndefined();
  });
});

describe('clients', () => {
  it('joins leases, ARP and wireless registrations by MAC, in address order', () => {
    const clients = mergeClients({
      leases: [
        row({ 'mac-address': 'aa:00:00:00:00:02', address: '192.168.88.20', 'host-name': 'laptop', status: 'bound' }),
      ],
      arp: [
        row({ 'mac-address': 'AA:00:00:00:00:02', address: '192.168.88.20', interface: 'bridge' }),
        row({ 'mac-address': 'AA:00:00:00:00:03', address: '192.168.88.3', interface: 'ether2' }),
      ],
      wireless: [
        row({ 'mac-address': 'AA:00:00:00:00:02', interface: 'wlan1', 'signal-strength': '-61@HT20', uptime: '1h' }),
        row({ 'mac-address': 'AA:00:00:00:00:09', interface: 'wifi1', signal: '-70', 'last-ip': '192.168.88.200' }),
      ],
    });
    expect(clients.map((c) => [c.mac, c.address, c.sources.join(' ')])).toEqual([
      ['AA:00:00:00:00:03', '192.168.88.3', 'arp'],
      ['AA:00:00:00:00:02', '192.168.88.20', 'dhcp arp wireless'],
      ['AA:00:00:00:00:09', '192.168.88.200', 'wireless'],
    ]);
    expect(clients[1]).toMatchObject({ hostName: 'laptop', interface: 'wlan1', signal: '-61', leaseStatus: 'bound' });
    expect(clients[2]?.signal).toBe('-70');
  });

  it('reads registrations only of the wireless packages the device configures', () => {
    expect(registrationMenus([{ path: '/interface/wifi', in_config: true }])).toEqual([
      '/interface/wifi/registration-table',
    ]);
    expect(registrationMenus([{ path: '/interface/wireless', in_config: false }])).toEqual([]);
  });
});

describe('operation wording', () => {
  it('lays out the happy path per mode and the countdown', () => {
    expect(happyPath('test').slice(-2)).toEqual(['awaiting_confirmation', 'confirmed']);
    expect(happyPath('standard')).not.toContain('verifying');
    expect(clock(119.2)).toBe('2:00');
    expect(clock(5)).toBe('0:05');
    expect(clock(-3)).toBe('0:00');
  });
});

describe('live messages', () => {
  const msg = (status: 'applying' | 'confirmed') => ({
    deviceId: 'd1',
    operation_id: 'o1',
    status,
    kind: 'edit',
    mode: 'safe',
    deadline: null,
    applied_count: 0,
    command_count: 1,
  });
  it('refresh the operations on every step, and the device’s rows and backups once one ends', () => {
    const keys = changesLive['change.operation'];
    expect(keys?.('t1', msg('applying'))).toEqual([changeKeys.operations('t1')]);
    expect(keys?.('t1', msg('confirmed'))).toEqual([
      changeKeys.operations('t1'),
      changeKeys.device('t1', 'd1'),
      configKeys.device('t1', 'd1'),
    ]);
    // The operation itself sits under the operations prefix, so every step refreshes it.
    expect(changeKeys.operation('t1', 'o1').slice(0, 3)).toEqual([...changeKeys.operations('t1')]);
  });
});
