import { describe, expect, it } from 'vitest';
import {
  firstFreeHost,
  firstFreePlacement,
  overlaps,
  placementOf,
  poolOf,
  slotCount,
} from '../../src/features/vpn/addressing.js';
import { parseDump } from '../../src/features/vpn/dump.js';
import { renderFirewall } from '../../src/features/vpn/firewall.js';
import { generateKeyPair, generatePresharedKey, isKey, publicKeyOf } from '../../src/features/vpn/keys.js';
import { routerCommands, terminalLines } from '../../src/features/vpn/routeros.js';
import { renderHubConfig } from '../../src/features/vpn/wg-quick.js';

// The pure parts of the WireGuard feature: keys, the pool's arithmetic, the hub's files, the routers' commands and
// reading `wg show … dump`.

describe('keys', () => {
  it('makes WireGuard keys: 32 bytes of base64, the public key derived as X25519 does', () => {
    const a = generateKeyPair();
    const b = generateKeyPair();
    for (const k of [a.privateKey, a.publicKey, generatePresharedKey()]) {
      expect(k).toHaveLength(44);
      expect(isKey(k)).toBe(true);
      expect(Buffer.from(k, 'base64')).toHaveLength(32);
    }
    expect(publicKeyOf(a.privateKey)).toBe(a.publicKey);
    expect(a.privateKey).not.toBe(b.privateKey);
    // RFC 7748 section 6.1: Alice's private key and public key.
    const alice = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
    expect(Buffer.from(publicKeyOf(alice.toString('base64')), 'base64').toString('hex')).toBe(
      '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a',
    );
    expect(() => publicKeyOf('not a key')).toThrow();
  });
});

describe('the pool', () => {
  const pool = poolOf('10.99.0.0/16', 24, { first: 51820, last: 52819 });

  it('gives each organisation a block, a port and an interface; the hub is the block’s first host', () => {
    expect(slotCount(pool)).toBe(256);
    expect(placementOf(pool, 0)).toEqual({
      slot: 0,
      network: '10.99.0.0/24',
      hubAddress: '10.99.0.1',
      prefix: 24,
      listenPort: 51820,
      interface: 'todwg0',
    });
    expect(placementOf(pool, 255)).toMatchObject({ network: '10.99.255.0/24', listenPort: 52075 });
    expect(slotCount(poolOf('10.99.0.0/16', 24, { first: 51820, last: 51829 }))).toBe(10);
    expect(() => poolOf('10.99.0.0/24', 24, { first: 1, last: 2 })).toThrow(/must be longer/);
  });

  it('takes the lowest slot whose block, port and interface are free, skipping blocks of older settings', () => {
    const taken = {
      slots: new Set([0]),
      ports: new Set([51821]),
      networks: ['10.99.2.0/23'],
      interfaces: new Set<string>(),
    };
    // 1: port taken; 2 and 3: inside a /23 made under other settings.
    expect(firstFreePlacement(pool, taken)).toMatchObject({ slot: 4, network: '10.99.4.0/24', listenPort: 51824 });
    const full = poolOf('10.99.0.0/23', 24, { first: 51820, last: 52819 });
    expect(firstFreePlacement(full, { ...taken, slots: new Set([0, 1]) })).toBeUndefined();
    expect(overlaps('10.0.0.0/8', '10.99.1.0/24')).toBe(true);
    expect(overlaps('10.99.0.0/24', '10.99.1.0/24')).toBe(false);
  });

  it('gives peers the lowest free host after the hub, never the broadcast address', () => {
    expect(firstFreeHost('10.99.3.0/24', new Set())).toBe('10.99.3.2');
    expect(firstFreeHost('10.99.3.0/24', new Set(['10.99.3.2', '10.99.3.4']))).toBe('10.99.3.3');
    const all = new Set(Array.from({ length: 253 }, (_, i) => `10.99.3.${i + 2}`));
    all.delete('10.99.3.254');
    expect(firstFreeHost('10.99.3.0/24', all)).toBe('10.99.3.254');
    all.add('10.99.3.254');
    expect(firstFreeHost('10.99.3.0/24', all)).toBeUndefined();
    expect(firstFreeHost('10.99.3.0/30', new Set())).toBe('10.99.3.2');
  });
});

describe('the hub’s wg-quick file', () => {
  it('has the interface and one peer per device, each allowed only its own /32', () => {
    const hub = generateKeyPair();
    const r1 = generateKeyPair();
    const r2 = generateKeyPair();
    const psk = generatePresharedKey();
    const text = renderHubConfig(
      {
        tenantId: 't1',
        interface: 'todwg3',
        privateKey: hub.privateKey,
        listenPort: 51823,
        hubAddress: '10.99.3.1',
        prefix: 24,
      },
      [
        { id: 'p10', name: 'r10\n[Peer]', publicKey: r2.publicKey, presharedKey: null, address: '10.99.3.10' },
        { id: 'p2', name: 'core-1', publicKey: r1.publicKey, presharedKey: psk, address: '10.99.3.2' },
      ],
    );
    expect(text).toBe(
      [
        '# Written by TOD for organisation t1: TOD rewrites this file whenever its peers change.',
        '[Interface]',
        `PrivateKey = ${hub.privateKey}`,
        'ListenPort = 51823',
        'Address = 10.99.3.1/24',
        '',
        '# core-1 (peer p2)',
        '[Peer]',
        `PublicKey = ${r1.publicKey}`,
        `PresharedKey = ${psk}`,
        'AllowedIPs = 10.99.3.2/32',
        '',
        '# r10__Peer_ (peer p10)',
        '[Peer]',
        `PublicKey = ${r2.publicKey}`,
        'AllowedIPs = 10.99.3.10/32',
        '',
      ].join('\n'),
    );
  });
});

describe('the hub’s firewall', () => {
  const hubs = [
    { interface: 'todwg0', hubAddress: '10.99.0.1' },
    { interface: 'todwg1', hubAddress: '10.99.1.1' },
  ];
  const rules = (text: string, chain: string) => {
    const body = text.split(`chain ${chain} {`)[1]?.split('  }')[0] ?? '';
    return body
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('type '));
  };

  it('drops everything between tunnels — two organisations, or two routers of one — before anything else', () => {
    const text = renderFirewall(hubs, { syslogPort: 0, forwardFrom: [] });
    const forward = rules(text, 'forward');
    expect(forward[0]).toBe('iifname "todwg*" oifname "todwg*" drop');
    // Nothing a router sends is forwarded beyond the hub, except replies; nothing enters a tunnel from elsewhere.
    expect(forward).toEqual([
      'iifname "todwg*" oifname "todwg*" drop',
      'iifname "todwg*" ct state established,related accept',
      'iifname "todwg*" drop',
      'oifname "todwg*" drop',
    ]);
    expect(text).toContain('table inet tod_wireguard {');
    expect(text).not.toContain('masquerade');
  });

  it('lets a router reach only its own hub address: replies, ping and syslog', () => {
    const input = rules(renderFirewall(hubs, { syslogPort: 514, forwardFrom: [] }), 'input');
    expect(input).toEqual([
      'iifname "todwg0" ip daddr != 10.99.0.1 drop',
      'iifname "todwg1" ip daddr != 10.99.1.1 drop',
      'iifname "todwg*" ct state established,related accept',
      'iifname "todwg*" icmp type echo-request accept',
      'iifname "todwg*" udp dport 514 accept',
      'iifname "todwg*" drop',
    ]);
    // Organisation 0's router asking for organisation 1's hub address is dropped by its interface's first rule.
    expect(input.findIndex((r) => r.startsWith('iifname "todwg0"'))).toBeLessThan(
      input.findIndex((r) => r.includes('accept')),
    );
  });

  it('with a separate gateway, TOD’s hosts enter the tunnels masqueraded as the hub', () => {
    const text = renderFirewall(hubs, { syslogPort: 0, forwardFrom: ['192.0.2.10/32'] });
    const forward = rules(text, 'forward');
    expect(forward.slice(0, 3)).toEqual([
      'iifname "todwg*" oifname "todwg*" drop',
      'iifname "todwg*" ct state established,related accept',
      'iifname "todwg*" drop',
    ]);
    expect(forward.slice(3)).toEqual(['oifname "todwg*" ip saddr { 192.0.2.10/32 } accept', 'oifname "todwg*" drop']);
    expect(rules(text, 'postrouting')).toEqual(['oifname "todwg*" ip saddr { 192.0.2.10/32 } masquerade']);
  });
});

describe('the router’s commands', () => {
  const side = {
    interface: 'tod-wg',
    listenPort: 13231,
    privateKey: 'YNqHbfBQKaGvzefSSuZ1jEfKnmdVGpOP3hpBBXMaWmk=',
    presharedKey: 'FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=',
    hubPublicKey: 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=',
    endpointHost: 'vpn.example.net',
    endpointPort: 51823,
    hubAddress: '10.99.3.1',
    address: '10.99.3.2',
    prefix: 24,
    keepaliveSeconds: 25,
    managementPorts: [8728, 8729, 22],
  };

  it('are RouterOS 7 terminal lines with the keys quoted, the input rule above the first input rule', () => {
    expect(terminalLines(side).filter((l) => !l.startsWith('#'))).toEqual([
      '/interface wireguard add name=tod-wg listen-port=13231 private-key="YNqHbfBQKaGvzefSSuZ1jEfKnmdVGpOP3hpBBXMaWmk=" comment="TOD WireGuard"',
      '/interface wireguard peers add interface=tod-wg public-key="xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=" endpoint-address=vpn.example.net endpoint-port=51823 allowed-address=10.99.3.1/32 persistent-keepalive=25s preshared-key="FpCyhws9cxwWoV4xELtfJvjJN+zQVRPISllRWgeopVE=" comment="TOD WireGuard hub"',
      '/ip address add address=10.99.3.2/24 interface=tod-wg comment="TOD WireGuard"',
      '/ip firewall filter add chain=input action=accept in-interface=tod-wg src-address=10.99.3.1 protocol=tcp dst-port=8728,8729,22 comment="TOD WireGuard: TOD management" place-before=[ find chain=input ]',
    ]);
  });

  it('without a preshared key or keepalive, and placed where the planner says', () => {
    const c = routerCommands({ ...side, presharedKey: null, keepaliveSeconds: 0, firewallBefore: { comment: 'x' } });
    expect(c[1]?.properties).not.toHaveProperty('preshared-key');
    expect(c[1]?.properties).not.toHaveProperty('persistent-keepalive');
    expect(c[3]?.destination).toEqual({ comment: 'x' });
    expect(routerCommands({ ...side, managementPorts: [8728, 8728, 22] })[3]?.properties?.['dst-port']).toBe('8728,22');
  });
});

describe('wg show … dump', () => {
  // In wg(8)'s format (as wireguard-tools' show.c prints it): tabs; the interface's line, then one line per peer.
  const hubKey = generateKeyPair();
  const r1 = generateKeyPair().publicKey;
  const r2 = generateKeyPair().publicKey;
  const psk = generatePresharedKey();
  const single = [
    `${hubKey.privateKey}\t${hubKey.publicKey}\t51823\toff`,
    `${r1}\t${psk}\t203.0.113.7:13231\t10.99.3.2/32\t1767225600\t123456\t7890123\toff`,
    `${r2}\t(none)\t(none)\t10.99.3.3/32,10.99.3.4/32\t0\t0\t0\t25`,
    '',
  ].join('\n');

  it('reads `wg show <interface> dump`: handshakes, counters, endpoints; never the private key', () => {
    const d = parseDump(single, 'todwg3');
    expect(d.skipped).toBe(0);
    expect(d.interfaces).toEqual([{ interface: 'todwg3', publicKey: hubKey.publicKey, listenPort: 51823 }]);
    expect(d.peers).toEqual([
      {
        interface: 'todwg3',
        publicKey: r1,
        endpoint: '203.0.113.7:13231',
        allowedIps: ['10.99.3.2/32'],
        latestHandshake: new Date('2026-01-01T00:00:00Z'),
        rxBytes: 123456n,
        txBytes: 7890123n,
        keepaliveSeconds: null,
      },
      {
        interface: 'todwg3',
        publicKey: r2,
        endpoint: null,
        allowedIps: ['10.99.3.3/32', '10.99.3.4/32'],
        latestHandshake: null,
        rxBytes: 0n,
        txBytes: 0n,
        keepaliveSeconds: 25,
      },
    ]);
    expect(JSON.stringify(d, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).not.toContain(hubKey.privateKey);
  });

  it('reads `wg show all dump` (the interface first on every line), IPv6 endpoints and 64-bit counters', () => {
    const other = generateKeyPair();
    const text = [
      `todwg3\t${hubKey.privateKey}\t${hubKey.publicKey}\t51823\t0xca6c`,
      `todwg3\t${r1}\t(none)\t[2001:db8::7]:13231\t10.99.3.2/32\t1767225600\t18446744073709551615\t1\toff`,
      `wg0\t(none)\t${other.publicKey}\t0\toff`,
      `wg0\t${r2}\t(none)\t(none)\t(none)\t0\t0\t0\toff`,
    ].join('\n');
    const d = parseDump(text);
    expect(d.interfaces.map((i) => [i.interface, i.listenPort])).toEqual([
      ['todwg3', 51823],
      ['wg0', 0],
    ]);
    expect(d.peers.map((p) => [p.interface, p.endpoint, p.rxBytes, p.allowedIps])).toEqual([
      ['todwg3', '[2001:db8::7]:13231', 18446744073709551615n, ['10.99.3.2/32']],
      ['wg0', null, 0n, []],
    ]);
  });

  it('skips lines that are not dump lines rather than guessing', () => {
    const d = parseDump(
      [
        `todwg3\t${hubKey.privateKey}\t${hubKey.publicKey}\t51823\toff`,
        'Unable to access interface',
        `todwg3\tnot-a-key\t(none)\t(none)\t(none)\t0\t0\t0\toff`,
        `todwg3\t${r1}\t(none)\t(none)\t(none)\t-1\t0\t0\toff`,
      ].join('\n'),
    );
    expect(d.peers).toEqual([]);
    expect(d.skipped).toBe(3);
  });
});
