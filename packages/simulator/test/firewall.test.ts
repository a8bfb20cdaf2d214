// The input chain's verdict on a connection to one of the device's services (firewall.ts), matcher by matcher.
import { describe, expect, it } from 'vitest';
import { inputVerdict, type Packet } from '../src/firewall.js';
import { ConfigStore } from '../src/index.js';

const API: Packet = { src: '127.0.0.1', dstPort: 8728, state: 'new' };

/** A store whose filter holds `rules` (each `k=v k=v`) and address lists `lists` (`list=x address=y`). */
function store(rules: string[], lists: string[] = []): ConfigStore {
  const s = new ConfigStore();
  const props = (text: string) => new Map(text.split(' ').map((kv) => kv.split('=', 2) as [string, string]));
  for (const l of lists) s.add('/ip/firewall/address-list', props(l));
  for (const r of rules) s.add('/ip/firewall/filter', props(r));
  return s;
}

const verdict = (rules: string[], p: Partial<Packet> = {}, lists: string[] = []) =>
  inputVerdict(store(rules, lists), { ...API, ...p });

describe('input chain', () => {
  it('accepts by default; only enabled input rules count', () => {
    expect(verdict([])).toBe('accept');
    expect(verdict(['chain=forward action=drop'])).toBe('accept');
    expect(verdict(['chain=input action=drop disabled=yes'])).toBe('accept');
    expect(verdict(['chain=input action=drop'])).toBe('drop');
  });

  it('the first deciding rule wins; log, passthrough and jump fall through', () => {
    expect(verdict(['chain=input action=accept', 'chain=input action=drop'])).toBe('accept');
    expect(verdict(['chain=input action=log', 'chain=input action=reject'])).toBe('reject');
    expect(verdict(['chain=input action=passthrough', 'chain=input action=jump jump-target=x'])).toBe('accept');
    expect(verdict(['chain=input action=tarpit'])).toBe('drop');
    // A rule without an action accepts (RouterOS's default action).
    expect(verdict(['chain=input protocol=tcp', 'chain=input action=drop'])).toBe('accept');
  });

  it('protocol', () => {
    expect(verdict(['chain=input action=drop protocol=tcp'])).toBe('drop');
    expect(verdict(['chain=input action=drop protocol=6'])).toBe('drop');
    expect(verdict(['chain=input action=drop protocol=udp'])).toBe('accept');
    expect(verdict(['chain=input action=drop protocol=!udp'])).toBe('drop');
  });

  it('dst-port: one, a list, a range, negated', () => {
    expect(verdict(['chain=input action=drop protocol=tcp dst-port=8728'])).toBe('drop');
    expect(verdict(['chain=input action=drop protocol=tcp dst-port=8729'])).toBe('accept');
    expect(verdict(['chain=input action=drop protocol=tcp dst-port=22,8728,8729'])).toBe('drop');
    expect(verdict(['chain=input action=drop protocol=tcp dst-port=8000-9000'])).toBe('drop');
    expect(verdict(['chain=input action=drop protocol=tcp dst-port=22,9000-9100'])).toBe('accept');
    expect(verdict(['chain=input action=drop protocol=tcp dst-port=!8728'])).toBe('accept');
    expect(verdict(['chain=input action=drop protocol=tcp dst-port=!22'])).toBe('drop');
  });

  it('src-address: an address, a CIDR, a range, negated', () => {
    expect(verdict(['chain=input action=drop src-address=127.0.0.1'])).toBe('drop');
    expect(verdict(['chain=input action=drop src-address=127.0.0.0/8'])).toBe('drop');
    expect(verdict(['chain=input action=drop src-address=10.0.0.0/8'])).toBe('accept');
    expect(verdict(['chain=input action=drop src-address=127.0.0.1-127.0.0.9'])).toBe('drop');
    expect(verdict(['chain=input action=drop src-address=!127.0.0.1'])).toBe('accept');
    expect(verdict(['chain=input action=drop src-address=!10.0.0.0/8'])).toBe('drop');
    // IPv4-mapped IPv6 is IPv4; an IPv6 client is not this chain's (that is /ipv6 firewall).
    expect(verdict(['chain=input action=drop src-address=127.0.0.1'], { src: '::ffff:127.0.0.1' })).toBe('drop');
    expect(verdict(['chain=input action=drop'], { src: '::1' })).toBe('accept');
  });

  it('src-address-list: enabled entries of that list', () => {
    const rule = ['chain=input action=drop src-address-list=mgmt-block'];
    expect(verdict(rule, {}, ['list=mgmt-block address=127.0.0.0/8'])).toBe('drop');
    expect(verdict(rule, {}, ['list=other address=127.0.0.1'])).toBe('accept');
    expect(verdict(rule, {}, ['list=mgmt-block address=127.0.0.1 disabled=yes'])).toBe('accept');
    expect(verdict(['chain=input action=drop src-address-list=!trusted'], {}, ['list=trusted address=127.0.0.1'])).toBe(
      'accept',
    );
  });

  it('connection-state: new for a connection being opened, established for an open one', () => {
    const defconf = [
      'chain=input action=accept connection-state=established,related,untracked',
      'chain=input action=drop',
    ];
    expect(verdict(defconf, { state: 'new' })).toBe('drop');
    expect(verdict(defconf, { state: 'established' })).toBe('accept');
    expect(verdict(['chain=input action=drop connection-state=new'], { state: 'established' })).toBe('accept');
    expect(verdict(['chain=input action=drop connection-state=!established'], { state: 'new' })).toBe('drop');
    expect(verdict(['chain=input action=drop connection-state=invalid'])).toBe('accept');
  });

  it('matchers it cannot judge from loopback (interfaces, dst-address, …) make the rule not match', () => {
    expect(verdict(['chain=input action=drop in-interface=ether1'])).toBe('accept');
    expect(verdict(['chain=input action=drop in-interface-list=!LAN'])).toBe('accept');
    expect(verdict(['chain=input action=accept dst-address=127.0.0.1', 'chain=input action=drop'])).toBe('drop');
    // Comments and logging say nothing about the packet.
    expect(verdict(['chain=input action=drop comment=x log=yes log-prefix=y'])).toBe('drop');
  });
});
