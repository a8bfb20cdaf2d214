import { describe, expect, it } from 'vitest';
import { exportFiles, readExport } from '../../../fixtures/index.js';
import {
  findSecrets,
  isSecretProperty,
  normalizeExport,
  parseExport,
  redactSecrets,
  serializeExport,
} from '../src/index.js';

describe('normalizeExport', () => {
  it('drops the date and volatile comments, keeps identity comments and the version', () => {
    const text = [
      '# 2025-03-01 12:00:00 by RouterOS 7.18.2',
      '# software id = J2CB-D9EL',
      '#',
      '# model = RB5009',
      '# serial number = HD0000',
      '/interface ethernet',
      '# poe-out status: short_circuit',
      'set [ find default-name=ether1 ] comment=wan',
      '/ip firewall filter',
      '# in/out-interface matcher not possible when interface (ether2) is slave - use master instead (bridge)',
      'add action=drop chain=forward in-interface=ether2',
      '/ip dhcp-client',
      '# DHCP client not ready',
      '# keep me: written by a human',
      'add interface=ether1',
    ].join('\n');
    const { text: out, doc } = normalizeExport(text);
    expect(out).toBe(
      [
        '# by RouterOS 7.18.2',
        '# software id = J2CB-D9EL',
        '#',
        '# model = RB5009',
        '# serial number = HD0000',
        '/interface ethernet',
        'set [ find default-name=ether1 ] comment=wan',
        '/ip firewall filter',
        'add action=drop chain=forward in-interface=ether2',
        '/ip dhcp-client',
        '# keep me: written by a human',
        'add interface=ether1',
        '',
      ].join('\n'),
    );
    expect(doc.header).toMatchObject({ version: '7.18.2', softwareId: 'J2CB-D9EL', model: 'RB5009', serial: 'HD0000' });
    expect(doc.header.date).toBeUndefined();
  });

  it('is deterministic, idempotent and independent of date, wrapping, quoting and style', () => {
    for (const file of exportFiles()) {
      const original = readExport(file);
      const n1 = normalizeExport(original).text;
      expect(normalizeExport(n1).text).toBe(n1);
      const doc = parseExport(original);
      doc.header.comments = doc.header.comments.map((c) => c.replace(/^ \S+ \S+ by/, ' jan/01/2000 00:00:00 by'));
      for (const a of doc.sections.flatMap((s) => s.commands.flatMap((c) => c.args))) a.quoted = true;
      expect(normalizeExport(serializeExport(doc, { style: 'terse' })).text).toBe(n1);
    }
  });
});

describe('secrets', () => {
  it('recognises secret-bearing properties', () => {
    expect(isSecretProperty('/ppp/secret', 'password')).toBe(true);
    expect(isSecretProperty('/interface/wifi', 'security.passphrase')).toBe(true);
    expect(isSecretProperty('/interface/wireless/security-profiles', 'wpa2-pre-shared-key')).toBe(true);
    expect(isSecretProperty('/interface/wireguard', 'private-key')).toBe(true);
    expect(isSecretProperty('/interface/wireguard/peers', 'public-key')).toBe(false);
    expect(isSecretProperty('/snmp/community', 'name')).toBe(true);
    expect(isSecretProperty('/interface/bridge', 'name')).toBe(false);
    expect(isSecretProperty('/ip/ipsec/peer', 'key')).toBe(true);
    expect(isSecretProperty('/certificate', 'key')).toBe(false);
    expect(isSecretProperty('/interface/wifi', 'security.ft-r0-key-lifetime')).toBe(false);
  });

  it('redacts the PSKs and passwords in the fixtures and leaves the rest alone', () => {
    const doc = parseExport(readExport('v7.8-wifi-telescope.rsc'));
    const found = findSecrets(doc);
    expect(found.map((s) => s.name)).toEqual(expect.arrayContaining(['wpa-pre-shared-key', 'wpa2-pre-shared-key']));
    const redacted = redactSecrets(doc, 'REDACTED');
    const out = serializeExport(redacted);
    expect(out).not.toContain('serviceobserv2m');
    expect(out).toContain('wpa2-pre-shared-key=REDACTED');
    expect(serializeExport(doc)).toContain('serviceobserv2m'); // the input is untouched
    const v6 = redactSecrets(parseExport(readExport('v6.27-srv.rsc')), (_p, name, v) => `enc:${name}:${v.length}`);
    expect(serializeExport(v6)).toContain('password=enc:password:8');
  });
});
