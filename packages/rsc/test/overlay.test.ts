import { describe, expect, it } from 'vitest';
import { exportFiles, readExport } from '../../../fixtures/index.js';
import {
  applyCommands,
  buildState,
  type ConfigState,
  diffStates,
  diffToCommands,
  isDefaultValue,
  normalizeExport,
  overlayCommands,
  parseExport,
} from '../src/index.js';

const stateOf = (text: string): ConfigState => buildState(normalizeExport(text).doc);

/** Commands from `current` to the overlay of `script` on it. */
function overlayCommandsFor(current: string, script: string, major?: number): string[] {
  const a = stateOf(current);
  const { state } = overlayCommands(a, parseExport(script), major === undefined ? {} : { major });
  return diffToCommands(diffStates(a, state));
}

const wifiRouter = readExport('v7-wifi-router1.rsc');
const office = readExport('v7.18-office.rsc');

describe('overlay', () => {
  it('finds every export already satisfied by itself', () => {
    for (const f of exportFiles()) {
      const doc = normalizeExport(readExport(f)).doc;
      const s = buildState(doc);
      const o = overlayCommands(s, doc);
      expect(diffStates(s, o.state).equal, f).toBe(true);
      expect(o.unsupported, f).toEqual([]);
    }
  });

  it('is idempotent and its commands reach it, for every export laid over every other', () => {
    const files = exportFiles();
    for (const f of files) {
      const doc = normalizeExport(readExport(f)).doc;
      for (const g of files) {
        const a = stateOf(readExport(g));
        const once = overlayCommands(a, doc).state;
        expect(diffStates(once, overlayCommands(once, doc).state).equal, `${f} over ${g} twice`).toBe(true);
        const lines = diffToCommands(diffStates(a, once)).filter((l) => !l.startsWith('#'));
        const reached = applyCommands(a, parseExport(lines.join('\n')));
        expect(
          diffStates(reached, once).menus.map((m) => m.path),
          `${f} over ${g}`,
        ).toEqual([]);
      }
    }
  });

  it('sets only the named properties of an add whose natural key exists', () => {
    // `network=` and `comment=` stay as they are: the script does not name them.
    expect(overlayCommandsFor(wifiRouter, '/ip address add address=192.168.1.1/24 interface=bridge1')).toEqual([]);
    expect(
      overlayCommandsFor(
        wifiRouter,
        '/ip firewall filter add chain=input comment="defconf: drop invalid" action=drop connection-state=invalid,untracked',
      ),
    ).toEqual([
      '/ip firewall filter set [ find chain=input comment="defconf: drop invalid" ] connection-state=invalid,untracked',
    ]);
  });

  it('adds an item whose key is new, and an unkeyed one unless an identical item exists', () => {
    expect(overlayCommandsFor(office, '/ip dhcp-client\nadd interface=ether1')).toEqual([
      '/ip dhcp-client add interface=ether1',
    ]);
    const nat = '/ip firewall nat\nadd action=masquerade chain=srcnat out-interface=pppoe-out1';
    expect(
      overlayCommandsFor(`/ip firewall nat\nadd chain=srcnat out-interface=pppoe-out1 action=masquerade`, nat),
    ).toEqual([]);
    expect(
      overlayCommandsFor(`/ip firewall nat\nadd chain=srcnat out-interface=ether1 action=masquerade`, nat),
    ).toEqual(['/ip firewall nat add action=masquerade chain=srcnat out-interface=pppoe-out1']);
  });

  it('matches a route by the key fields the script names', () => {
    const current = '/ip route\nadd distance=1 dst-address=0.0.0.0/0 gateway=10.0.0.1';
    expect(overlayCommandsFor(current, '/ip route add dst-address=0.0.0.0/0 gateway=10.0.0.1')).toEqual([]);
  });

  it('treats a default value and its absence alike, per version', () => {
    expect(overlayCommandsFor(office, '/ip dhcp-client add interface=bridge disabled=no', 7)).toEqual([]);
    // RouterOS 6 creates DHCP clients disabled: an export without `disabled` means a disabled client.
    expect(overlayCommandsFor(office, '/ip dhcp-client add interface=bridge disabled=no', 6)).toEqual([
      '/ip dhcp-client set [ find interface=bridge ] disabled=no',
    ]);
    expect(overlayCommandsFor(office, '/interface ethernet set [ find default-name=ether1 ] name=ether1')).toEqual([]);
    expect(isDefaultValue('/interface/wireless', 'disabled', 'no', 7)).toBe(false);
    expect(isDefaultValue('/ip/firewall/filter', 'disabled', 'no')).toBe(true);
  });

  it('evaluates set, enable, disable, unset and remove on the current items', () => {
    expect(overlayCommandsFor(office, '/system identity\nset name=office')).toEqual([]);
    expect(overlayCommandsFor(office, '/system identity set name=branch')).toEqual([
      '/system identity set name=branch',
    ]);
    expect(overlayCommandsFor(office, '/interface wireless set [ find default-name=wlan1 ] ssid=praze')).toEqual([]);
    expect(overlayCommandsFor(office, '/interface bridge port disable [ find interface=ether5 ]')).toEqual([
      '/interface bridge port set [ find bridge=bridge interface=ether5 ] disabled=yes',
    ]);
    expect(overlayCommandsFor(office, '/interface bridge port enable [ find interface=ether5 ]')).toEqual([]);
    expect(overlayCommandsFor(office, '/interface bridge port remove [ find interface=ether5 ]')).toEqual([
      '/interface bridge port remove [ find bridge=bridge interface=ether5 ]',
    ]);
    expect(overlayCommandsFor(office, '/interface bridge port remove [ find interface=ether9 ]')).toEqual([]);
    expect(overlayCommandsFor(office, '/system clock unset value-name=time-zone-name')).toEqual([
      '/system clock unset value-name=time-zone-name',
    ]);
  });

  it('keeps items a script removes and adds back, so "exactly these" is stable', () => {
    const script =
      '/interface bridge port\nremove [ find bridge=bridge ]\nadd bridge=bridge interface=ether1\nadd bridge=bridge interface=ether2';
    const lines = overlayCommandsFor(office, script);
    expect(lines.filter((l) => l.includes('remove'))).toHaveLength(5);
    expect(lines.some((l) => l.includes('interface=ether1') || l.includes(' add '))).toBe(false);
    // Overlaid again on the result, nothing is left to do.
    const a = stateOf(office);
    const once = overlayCommands(a, parseExport(script)).state;
    expect(diffStates(once, overlayCommands(once, parseExport(script)).state).equal).toBe(true);
  });

  it("keeps the script's order of rules in ordered menus", () => {
    const current = [
      '/ip firewall filter',
      'add action=drop chain=input comment=invalid connection-state=invalid',
      'add action=accept chain=input comment=mine protocol=icmp',
      'add action=accept chain=input comment=established connection-state=established,related',
    ].join('\n');
    const script = [
      '/ip firewall filter',
      'add action=accept chain=input comment=established connection-state=established,related',
      'add action=drop chain=input comment=invalid connection-state=invalid',
      'add action=drop chain=input comment=wan in-interface=ether1',
    ].join('\n');
    const a = stateOf(current);
    const desired = overlayCommands(a, parseExport(script)).state;
    expect(desired.get('/ip/firewall/filter')?.items.map((i) => i.props.get('comment'))).toEqual([
      'established',
      'mine',
      'invalid',
      'wan',
    ]);
    const lines = diffToCommands(diffStates(a, desired));
    const reached = applyCommands(a, parseExport(lines.join('\n')));
    expect(diffStates(reached, desired).equal).toBe(true);
    // A new rule placed before its successor when it has no predecessor.
    const first = overlayCommands(
      a,
      parseExport(
        '/ip firewall filter\nadd action=accept chain=input comment=first\nadd action=drop chain=input comment=invalid connection-state=invalid',
      ),
    );
    expect(first.state.get('/ip/firewall/filter')?.items.map((i) => i.props.get('comment'))).toEqual([
      'first',
      'invalid',
      'mine',
      'established',
    ]);
  });

  it("orders commands by the script's menus, so what an item refers to exists first", () => {
    const script = [
      '/interface wireless security-profiles',
      'add authentication-types=wpa2-psk mode=dynamic-keys name=ap wpa2-pre-shared-key=secret123',
      '/interface wireless',
      'set [ find default-name=wlan1 ] security-profile=ap',
    ].join('\n');
    // The office export lists /interface wireless before its security profiles.
    expect(overlayCommandsFor(office, script)).toEqual([
      '/interface wireless security-profiles add authentication-types=wpa2-psk mode=dynamic-keys name=ap wpa2-pre-shared-key=secret123',
      '/interface wireless set [ find default-name=wlan1 ] security-profile=ap',
    ]);
  });

  it('reports what says nothing about desired state', () => {
    const script = [
      ':global x 1',
      '/ip firewall filter',
      'move 1 destination=0',
      'print',
      'remove [ find where comment~"x" ]',
      'add action=drop chain=input comment=ok',
    ].join('\n');
    const { unsupported, state } = overlayCommands(stateOf(office), parseExport(script));
    expect(unsupported.map((u) => u.line)).toEqual([1, 3, 4, 5]);
    expect(unsupported[0]?.text).toBe(':global x 1');
    expect(unsupported[3]?.reason).toMatch(/find/);
    expect(state.get('/ip/firewall/filter')?.items).toHaveLength(1);
  });
});
