import { normalizeExport } from '@tod/rsc';
import { describe, expect, it } from 'vitest';
import { readExport } from '../../../../fixtures/index.js';
import { type PlannedCommand, planned, type Verb, type Where } from '../../src/features/changes/commands.js';
import { planRestore } from '../../src/features/changes/restore-plan.js';
import { type Risk, type RiskContext, type Row, risksOf } from '../../src/features/changes/risks.js';

// Which planned commands risk cutting TOD (or people) off the router, and how badly.

const cmd = (
  path: string,
  verb: Verb,
  where?: Where,
  properties?: Record<string, string>,
  unset?: string[],
): PlannedCommand =>
  planned({
    path,
    verb,
    ...(where ? { where } : {}),
    ...(properties ? { properties } : {}),
    ...(unset ? { unset } : {}),
  });

/** The one risk of a single command, or undefined. */
function riskOf(c: PlannedCommand, ctx?: RiskContext): Risk | undefined {
  const risks = risksOf([c], ctx);
  expect(risks.length).toBeLessThanOrEqual(1);
  return risks[0];
}

const level = (c: PlannedCommand, ctx?: RiskContext) => {
  const r = riskOf(c, ctx);
  return r ? `${r.code}/${r.severity}` : 'none';
};

/** The device's current items, as planRestore gives them to risksOf. */
const current =
  (menus: Record<string, Row[]>): ((path: string) => Row[]) =>
  (path) =>
    menus[path] ?? [];

const filter = '/ip/firewall/filter';
const input = (comment: string): Where => ({ chain: 'input', comment });
const rules: Record<string, Row[]> = {
  [filter]: [
    { action: 'accept', chain: 'input', comment: 'api', 'dst-port': '8728', protocol: 'tcp' },
    { action: 'accept', chain: 'input', comment: 'icmp', protocol: 'icmp' },
    { action: 'drop', chain: 'input', comment: 'telnet', 'dst-port': '23', protocol: 'tcp' },
    { action: 'drop', chain: 'input', comment: 'not LAN', disabled: 'yes', 'in-interface-list': '!LAN' },
    { action: 'drop', chain: 'input', comment: 'all' },
    { action: 'drop', chain: 'forward', comment: 'fwd', 'dst-port': '8728', protocol: 'tcp' },
  ],
};
const known: RiskContext = { itemsOf: current(rules) };

describe('service', () => {
  it('disabling the API TOD uses is a danger', () => {
    const r = riskOf(cmd('/ip/service', 'set', { name: 'api' }, { disabled: 'yes' }));
    expect(r).toEqual({
      code: 'service',
      severity: 'danger',
      command_index: 0,
      path: '/ip/service',
      message: 'disables the API service TOD uses to reach this router',
    });
    expect(level(cmd('/ip/service', 'disable', { name: 'api-ssl' }))).toBe('service/danger');
  });

  it('moving the API to another port is a danger unless TOD knows that port', () => {
    const c = cmd('/ip/service', 'set', { name: 'api' }, { port: '9000' });
    expect(riskOf(c)?.message).toBe(
      'moves the API service TOD uses to reach this router to port 9000: connections to the old port stop working',
    );
    expect(level(c)).toBe('service/danger');
    expect(level(c, { managementPorts: [9000] })).toBe('service/warning');
    expect(level(cmd('/ip/service', 'unset', { name: 'api-ssl' }, undefined, ['port']))).toBe('service/danger');
  });

  it("disabling or limiting people's services is a warning", () => {
    expect(riskOf(cmd('/ip/service', 'set', { name: 'winbox' }, { disabled: 'yes' }))).toMatchObject({
      severity: 'warning',
      message: 'disables the WinBox service people use to manage this router',
    });
    expect(level(cmd('/ip/service', 'set', { name: 'ssh' }, { disabled: 'yes' }))).toBe('service/warning');
    expect(level(cmd('/ip/service', 'set', { name: 'www-ssl' }, { port: '8443' }))).toBe('service/warning');
    expect(riskOf(cmd('/ip/service', 'set', { name: 'api' }, { address: '10.0.0.0/8' }))?.message).toBe(
      "limits the API service TOD uses to reach this router to 10.0.0.0/8: connections from any other address (TOD's included) are refused",
    );
  });

  it('enabling, widening or touching other services is no risk', () => {
    expect(level(cmd('/ip/service', 'set', { name: 'api' }, { disabled: 'no' }))).toBe('none');
    expect(level(cmd('/ip/service', 'set', { name: 'api' }, { address: '' }))).toBe('none');
    expect(level(cmd('/ip/service', 'set', { name: 'telnet' }, { disabled: 'yes' }))).toBe('none');
    expect(level(cmd('/ip/service', 'set', { name: 'ftp' }, { port: '2121' }))).toBe('none');
  });
});

describe('input firewall', () => {
  const add = (props: Record<string, string>, path = filter) => cmd(path, 'add', undefined, props);

  it('a new drop rule that covers a management port, or names none, is a danger', () => {
    expect(riskOf(add({ action: 'drop', chain: 'input', 'in-interface-list': '!LAN' }))?.message).toBe(
      "adds a new input rule, which drops connections to the router's management ports; it may cut TOD off",
    );
    expect(
      riskOf(add({ action: 'drop', chain: 'input', comment: 'no winbox', 'dst-port': '8291', protocol: 'tcp' })),
    ).toMatchObject({
      code: 'input_firewall',
      severity: 'danger',
      message: 'adds a new input rule "no winbox", which drops connections to 8291 (WinBox); it may cut TOD off',
    });
    expect(level(add({ action: 'reject', chain: 'input', 'dst-port': '8000-9000', protocol: 'tcp' }))).toBe(
      'input_firewall/danger',
    );
    expect(level(add({ action: 'tarpit', chain: 'input', 'dst-port': '!23', protocol: 'tcp' }))).toBe(
      'input_firewall/danger',
    );
    expect(level(add({ action: 'drop', chain: 'input', 'src-address': '203.0.113.0/24' }))).toBe(
      'input_firewall/danger',
    );
    expect(level(add({ action: 'drop', chain: 'input', 'connection-state': 'new' }))).toBe('input_firewall/danger');
    expect(level(add({ action: 'drop', chain: 'input' }, '/ipv6/firewall/filter'))).toBe('input_firewall/danger');
  });

  it("a drop rule on the device's own management port (ctx.managementPorts) is a danger", () => {
    const c = add({ action: 'drop', chain: 'input', 'dst-port': '18728', protocol: 'tcp' });
    expect(level(c)).toBe('none');
    expect(level(c, { managementPorts: [18728] })).toBe('input_firewall/danger');
  });

  it('new rules that cannot stop a management connection are no risk', () => {
    const harmless: Array<Record<string, string>> = [
      { action: 'drop', chain: 'input', 'dst-port': '23', protocol: 'tcp' },
      { action: 'drop', chain: 'input', 'dst-port': '!22,80,443,8291,8728,8729', protocol: 'tcp' },
      { action: 'drop', chain: 'input', protocol: 'udp' },
      { action: 'drop', chain: 'input', protocol: '!tcp' },
      { action: 'drop', chain: 'input', 'connection-state': 'invalid' },
      { action: 'drop', chain: 'input', disabled: 'yes' },
      { action: 'drop', chain: 'forward' },
      { action: 'accept', chain: 'input', 'dst-port': '8728', protocol: 'tcp' },
      { chain: 'input', protocol: 'icmp' },
      { action: 'add-src-to-address-list', 'address-list': 'seen', chain: 'input' },
    ];
    for (const props of harmless) expect(level(add(props)), JSON.stringify(props)).toBe('none');
  });

  it('a set whose rule is not known is a warning, unless it makes the rule a drop', () => {
    expect(riskOf(cmd(filter, 'set', input('x'), { 'src-address': '10.0.0.0/8' }))).toMatchObject({
      severity: 'warning',
      message:
        'changes the input rule "x"; whether it affects access to the router\'s management ports cannot be told from the command',
    });
    expect(level(cmd(filter, 'set', input('x'), { action: 'drop' }))).toBe('input_firewall/danger');
    expect(level(cmd(filter, 'set', input('x'), { disabled: 'no' }))).toBe('input_firewall/warning');
    expect(level(cmd(filter, 'remove', input('x')))).toBe('input_firewall/warning');
    expect(level(cmd(filter, 'move', input('x'), undefined))).toBe('input_firewall/warning');
  });

  it('a comment or logging change, or a rule of another chain, is no risk', () => {
    expect(level(cmd(filter, 'set', input('x'), { comment: 'y', log: 'yes', 'log-prefix': 'in' }))).toBe('none');
    expect(level(cmd(filter, 'unset', input('x'), undefined, ['log-prefix']))).toBe('none');
    expect(level(cmd(filter, 'set', { chain: 'forward', comment: 'x' }, { action: 'drop' }))).toBe('none');
    expect(level(cmd(filter, 'remove', { chain: 'output', comment: 'x' }))).toBe('none');
  });

  it('with the current rules known: removing or disabling an accept for a management port is a warning', () => {
    expect(riskOf(cmd(filter, 'remove', input('api')), known)).toMatchObject({
      severity: 'warning',
      message: 'removes the input rule "api", which lets connections to 8728 (API) reach the router',
    });
    expect(level(cmd(filter, 'set', input('api'), { disabled: 'yes' }), known)).toBe('input_firewall/warning');
    expect(level(cmd(filter, 'disable', input('api')), known)).toBe('input_firewall/warning');
    expect(level(cmd(filter, 'set', input('api'), { 'dst-port': '8729' }), known)).toBe('input_firewall/warning');
    expect(riskOf(cmd(filter, 'move', input('api')), known)?.message).toBe(
      'moves the input rule "api", which lets connections to 8728 (API) reach the router',
    );
  });

  it('with the current rules known: enabling, moving or widening a drop that covers management is a danger', () => {
    expect(riskOf(cmd(filter, 'set', input('not LAN'), { disabled: 'no' }), known)?.message).toBe(
      `enables the input rule "not LAN", which drops connections to the router's management ports; it may cut TOD off`,
    );
    expect(level(cmd(filter, 'enable', input('not LAN')), known)).toBe('input_firewall/danger');
    expect(level(cmd(filter, 'move', input('all')), known)).toBe('input_firewall/danger');
    expect(level(cmd(filter, 'unset', input('telnet'), undefined, ['dst-port']), known)).toBe('input_firewall/danger');
    expect(level(cmd(filter, 'set', { chain: 'forward', comment: 'fwd' }, { chain: 'input' }), known)).toBe(
      'input_firewall/danger',
    );
  });

  it('with the current rules known: harmless rules are no risk', () => {
    expect(level(cmd(filter, 'remove', input('telnet')), known)).toBe('none');
    expect(level(cmd(filter, 'remove', input('all')), known)).toBe('none');
    expect(level(cmd(filter, 'set', input('all'), { disabled: 'yes' }), known)).toBe('none');
    expect(level(cmd(filter, 'move', input('icmp')), known)).toBe('none');
    expect(level(cmd(filter, 'set', input('telnet'), { 'dst-port': '24' }), known)).toBe('none');
    expect(level(cmd(filter, 'set', input('api'), { 'dst-port': '8728,8729' }), known)).toBe('none');
  });
});

describe('address', () => {
  const addr = { address: '192.168.88.1/24', interface: 'bridge' };

  it('removing or changing an address is a warning; the one TOD connects to, a danger', () => {
    expect(riskOf(cmd('/ip/address', 'remove', addr))).toMatchObject({
      code: 'address',
      severity: 'warning',
      message: 'removes the address 192.168.88.1/24 on bridge: anyone reaching the router through it loses access',
    });
    expect(level(cmd('/ip/address', 'set', addr, { address: '192.168.89.1/24' }))).toBe('address/warning');
    expect(riskOf(cmd('/ip/address', 'set', addr, { interface: 'ether2' }), { host: '192.168.88.1' })).toMatchObject({
      severity: 'danger',
      message: 'changes the address 192.168.88.1/24 on bridge, the address TOD uses to reach this router',
    });
    expect(level(cmd('/ipv6/address', 'disable', { address: 'fd00::1/64', interface: 'bridge' }))).toBe(
      'address/warning',
    );
  });

  it('removing or disabling a DHCP client is a warning', () => {
    expect(riskOf(cmd('/ip/dhcp-client', 'remove', { interface: 'ether1' }))).toMatchObject({
      code: 'address',
      severity: 'warning',
      message: 'removes the DHCP client on ether1: the router loses the address it gets there',
    });
    expect(level(cmd('/ip/dhcp-client', 'set', { interface: 'ether1' }, { disabled: 'yes' }))).toBe('address/warning');
    expect(level(cmd('/ip/dhcp-client', 'set', { interface: 'ether1' }, { 'add-default-route': 'no' }))).toBe('none');
  });

  it('adding an address or changing its comment is no risk', () => {
    expect(level(cmd('/ip/address', 'add', undefined, { address: '10.1.1.1/24', interface: 'ether3' }))).toBe('none');
    expect(level(cmd('/ip/address', 'set', addr, { comment: 'lan' }), { host: '192.168.88.1' })).toBe('none');
  });
});

describe('route', () => {
  it('removing or changing the default route is a danger', () => {
    expect(riskOf(cmd('/ip/route', 'remove', { 'dst-address': '0.0.0.0/0', gateway: '203.0.113.1' }))).toMatchObject({
      code: 'route',
      severity: 'danger',
      message: 'removes the default route via 203.0.113.1: the router may no longer reach TOD',
    });
    expect(level(cmd('/ipv6/route', 'set', { 'dst-address': '::/0' }, { gateway: 'fe80::1%ether1' }))).toBe(
      'route/danger',
    );
    // v6 exports leave dst-address out of a default route: known from the current items.
    const itemsOf = current({ '/ip/route': [{ distance: '1', gateway: '203.0.113.1' }] });
    expect(level(cmd('/ip/route', 'remove', { gateway: '203.0.113.1' }), { itemsOf })).toBe('route/danger');
    expect(level(cmd('/ip/route', 'remove', { gateway: '203.0.113.1' }))).toBe('route/warning');
  });

  it('removing another route is a warning; adding a default route too', () => {
    expect(riskOf(cmd('/ip/route', 'remove', { 'dst-address': '10.0.0.0/8', gateway: '192.168.88.2' }))).toMatchObject({
      severity: 'warning',
      message: 'removes the route to 10.0.0.0/8 via 192.168.88.2: traffic that used it may be cut',
    });
    expect(level(cmd('/ip/route', 'add', undefined, { 'dst-address': '0.0.0.0/0', gateway: '198.51.100.1' }))).toBe(
      'route/warning',
    );
    expect(level(cmd('/ip/route', 'add', undefined, { 'dst-address': '10.9.0.0/16', gateway: '10.0.0.2' }))).toBe(
      'none',
    );
    expect(level(cmd('/ip/route', 'set', { 'dst-address': '0.0.0.0/0' }, { comment: 'wan' }))).toBe('none');
  });
});

describe('user', () => {
  it("removing a user or changing its group, password or address is a warning; TOD's own login, a danger", () => {
    expect(riskOf(cmd('/user', 'remove', { name: 'bob' }))).toMatchObject({
      code: 'user',
      severity: 'warning',
      message: 'removes the user bob: whoever logs in as bob may lose access',
    });
    expect(level(cmd('/user', 'set', { name: 'bob' }, { password: 'x' }))).toBe('user/warning');
    expect(level(cmd('/user', 'set', { name: 'bob' }, { address: '10.0.0.0/8' }))).toBe('user/warning');
    expect(riskOf(cmd('/user', 'set', { name: 'tod' }, { group: 'read' }), { username: 'tod' })).toMatchObject({
      severity: 'danger',
      message: 'changes the group of the user tod, the login TOD uses on this router',
    });
    expect(level(cmd('/user', 'disable', { name: 'tod' }), { username: 'tod' })).toBe('user/danger');
  });

  it("changing or removing a user group is a warning; the group of TOD's login, a danger", () => {
    const itemsOf = current({ '/user': [{ group: 'tod-group', name: 'tod' }] });
    const c = cmd('/user/group', 'set', { name: 'tod-group' }, { policy: 'read,!api' });
    expect(level(c)).toBe('user/warning');
    expect(riskOf(c, { username: 'tod', itemsOf })?.message).toBe(
      "changes the policy of the user group tod-group, which TOD's login belongs to",
    );
    expect(level(cmd('/user/group', 'remove', { name: 'ops' }), { username: 'tod', itemsOf })).toBe('user/warning');
  });

  it('adding a user or changing its comment is no risk', () => {
    expect(level(cmd('/user', 'add', undefined, { group: 'full', name: 'new' }))).toBe('none');
    expect(level(cmd('/user', 'set', { name: 'tod' }, { comment: 'TOD' }), { username: 'tod' })).toBe('none');
  });
});

describe('interface', () => {
  it('disabling or removing an interface is a warning', () => {
    expect(riskOf(cmd('/interface/ethernet', 'set', { 'default-name': 'ether1' }, { disabled: 'yes' }))).toMatchObject({
      code: 'interface',
      severity: 'warning',
      message: 'disables ethernet interface ether1: traffic through it stops',
    });
    expect(riskOf(cmd('/interface/vlan', 'remove', { name: 'vlan10' }))?.message).toBe(
      'removes vlan interface vlan10: traffic through it stops',
    );
    expect(riskOf(cmd('/interface/bridge/port', 'remove', { bridge: 'bridge', interface: 'ether2' }))?.message).toBe(
      'removes bridge port ether2: access that depends on it may be lost',
    );
    expect(level(cmd('/interface', 'disable', { name: 'wlan1' }))).toBe('interface/warning');
  });

  it('disabling the interface that carries the address TOD connects to is a danger', () => {
    const ctx = {
      host: '10.0.0.1',
      itemsOf: current({ '/ip/address': [{ address: '10.0.0.1/24', interface: 'ether2' }] }),
    };
    expect(riskOf(cmd('/interface', 'set', { name: 'ether2' }, { disabled: 'yes' }), ctx)).toMatchObject({
      severity: 'danger',
      message: 'disables interface ether2, which carries the address TOD uses',
    });
    expect(level(cmd('/interface', 'set', { name: 'ether3' }, { disabled: 'yes' }), ctx)).toBe('interface/warning');
  });

  it('other interface changes are no risk', () => {
    expect(level(cmd('/interface/ethernet', 'set', { 'default-name': 'ether1' }, { mtu: '1500', name: 'wan' }))).toBe(
      'none',
    );
    expect(level(cmd('/interface/vlan', 'add', undefined, { interface: 'ether1', name: 'v', 'vlan-id': '5' }))).toBe(
      'none',
    );
  });
});

describe('risksOf', () => {
  it('points at each risky command by its index, and passes harmless ones', () => {
    const risks = risksOf([
      cmd('/ip/firewall/nat', 'set', { chain: 'srcnat', comment: 'masq' }, { comment: 'masquerade' }),
      cmd('/ip/service', 'set', { name: 'api' }, { disabled: 'yes' }),
      cmd('/ip/firewall/address-list', 'add', undefined, { address: '192.0.2.1', list: 'x' }),
      cmd('/system/identity', 'set', undefined, { name: 'r1' }),
      cmd('/interface', 'disable', { name: 'ether5' }),
    ]);
    expect(risks.map((r) => [r.command_index, r.code])).toEqual([
      [1, 'service'],
      [4, 'interface'],
    ]);
  });

  it('a comment change on a NAT rule, DNS or identity changes are no risk', () => {
    expect(
      risksOf([
        cmd('/ip/firewall/nat', 'set', { chain: 'srcnat', comment: 'masq' }, { comment: 'masquerade' }),
        cmd('/ip/firewall/nat', 'add', undefined, { action: 'masquerade', chain: 'srcnat', 'out-interface': 'ether1' }),
        cmd('/ip/dns', 'set', undefined, { servers: '1.1.1.1' }),
        cmd('/system/identity', 'set', undefined, { name: 'r1' }),
      ]),
    ).toEqual([]);
  });
});

describe('risks of a restore plan', () => {
  const text = normalizeExport(readExport('v7-wifi-router1.rsc')).text;
  const dropAll = 'comment="defconf: drop all not coming from LAN"';

  it('restoring the drop rule a device lost is a danger', () => {
    const lost = text
      .split('\n')
      .filter((l) => !l.includes(dropAll))
      .join('\n');
    const plan = planRestore(lost, text);
    expect(plan.risks).toEqual([
      {
        code: 'input_firewall',
        severity: 'danger',
        command_index: plan.commands.findIndex((c) => c.verb === 'add'),
        path: '/ip/firewall/filter',
        message:
          'adds a new input rule "defconf: drop all not coming from LAN", which drops connections to the router\'s management ports; it may cut TOD off',
      },
    ]);
  });

  it('judges a set by the rule as the device has it now', () => {
    const disabled = text.replace(dropAll, `${dropAll} disabled=yes`);
    const plan = planRestore(disabled, text);
    expect(plan.commands.map((c) => c.cli)).toEqual([
      '/ip firewall filter unset [ find chain=input comment="defconf: drop all not coming from LAN" ] value-name=disabled',
    ]);
    expect(plan.risks.map((r) => [r.severity, r.message])).toEqual([
      [
        'danger',
        'enables the input rule "defconf: drop all not coming from LAN", which drops connections to the router\'s management ports; it may cut TOD off',
      ],
    ]);
    // The other way, the rule is known to drop: disabling it opens access, which is no risk of being cut off.
    expect(planRestore(text, disabled).risks).toEqual([]);
  });

  it("passes the device's ports, host and login on to the risks", () => {
    const moved = text.replace('/ip service\n', '/ip service\nset api port=18728\n');
    expect(moved).not.toBe(text);
    const back = planRestore(moved, text);
    expect(back.risks.map((r) => [r.code, r.severity])).toEqual([['service', 'danger']]);
    expect(planRestore(moved, text, { managementPorts: [8728] }).risks.map((r) => r.severity)).toEqual(['warning']);
  });
});
