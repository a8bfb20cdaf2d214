import { parseExport } from '@tod/rsc';
import { describe, expect, it } from 'vitest';
import { readExport } from '../../../../fixtures/index.js';
import { planTemplate } from '../../src/features/templates/plan.js';
import { checkSyntax, renderTemplate } from '../../src/features/templates/render.js';
import { starterTemplates } from '../../src/features/templates/starters.js';
import { coerceValues, variablesSchema } from '../../src/features/templates/variables.js';
import { templateDevice, v6Device } from './device.js';
import { afterPush } from './push.js';

// A real export of each major version as the device's current configuration.
const devices = [
  { device: v6Device(), current: readExport('v6.33-client.rsc') },
  { device: templateDevice(), current: readExport('v7.18-office.rsc') },
];

describe('starter templates', () => {
  it('are the seed set, with valid declarations', () => {
    expect(starterTemplates.map((s) => s.key)).toEqual([
      'basic-router',
      'basic-firewall',
      'dhcp-server',
      'wireless-ap',
      'initial-setup',
    ]);
    for (const s of starterTemplates) {
      expect(variablesSchema.safeParse(s.variables).success, s.key).toBe(true);
      const used = checkSyntax(
        s.body,
        s.variables.map((v) => v.name),
      ).variables;
      // Every declared variable is used.
      expect(used.sort(), s.key).toEqual(s.variables.map((v) => v.name).sort());
    }
  });

  for (const starter of starterTemplates) {
    for (const { device, current } of devices) {
      it(`${starter.key} renders with its defaults on RouterOS ${device.major}, and a push of it is stable`, () => {
        const { values, errors } = coerceValues(starter.variables, {}, { device });
        expect(errors).toEqual([]);
        const { text } = renderTemplate(starter.body, { device, values });
        expect(() => parseExport(text)).not.toThrow();
        const plan = planTemplate(text, current);
        expect(plan.unsupported).toEqual([]);
        expect(plan.commands.length).toBeGreaterThan(0);
        const pushed = afterPush(
          current,
          plan.commands.map((c) => c.cli),
        );
        expect(planTemplate(text, pushed)).toMatchObject({ inSync: true, commands: [] });
      });
    }
  }

  it('use the menus of each version', () => {
    const render = (key: string, device = templateDevice(), values: Record<string, unknown> = {}) => {
      const s = starterTemplates.find((x) => x.key === key);
      if (!s) throw new Error(key);
      const coerced = coerceValues(s.variables, { values }, { device });
      return renderTemplate(s.body, { device, values: coerced.values }).text;
    };
    expect(render('wireless-ap')).toContain('/interface wifi\nset [ find default-name=wifi1 ] configuration.mode=ap');
    expect(render('wireless-ap', v6Device())).toContain('/interface wireless\nset [ find default-name=wlan1 ]');
    expect(render('wireless-ap', templateDevice(), { wifi_menu: 'no', ssid: 'Shop Wi-Fi' })).toContain(
      'security-profile=tod-ap ssid="Shop Wi-Fi"',
    );
    // The security profile is created before the interface that uses it.
    const ap = planTemplate(render('wireless-ap', v6Device()), readExport('v6.33-client.rsc'));
    expect(ap.commands.map((c) => `${c.path} ${c.verb}`)).toEqual([
      '/interface/wireless/security-profiles add',
      '/interface/wireless set',
    ]);
    expect(render('initial-setup')).toContain('/system ntp client servers\nadd address=pool.ntp.org\n');
    expect(render('initial-setup', v6Device())).toContain('set enabled=yes server-dns-names=pool.ntp.org\n');
    expect(render('dhcp-server', templateDevice(), { lan_address: '10.1.0.1/16', dns_servers: '10.1.0.53' })).toContain(
      'ranges=10.1.0.10-10.1.255.254\n',
    );
    expect(render('basic-router')).toBe(
      [
        '/interface bridge',
        'add name=bridge',
        '/interface bridge port',
        'add bridge=bridge interface=ether2',
        'add bridge=bridge interface=ether3',
        'add bridge=bridge interface=ether4',
        'add bridge=bridge interface=ether5',
        '/ip address',
        'add address=192.168.88.1/24 interface=bridge',
        '/ip dhcp-client',
        'add disabled=no interface=ether1',
        '/ip firewall nat',
        'add action=masquerade chain=srcnat comment="tod: masquerade" out-interface=ether1',
        '',
      ].join('\n'),
    );
  });
});
