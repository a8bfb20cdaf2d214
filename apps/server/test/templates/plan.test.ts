import { normalizeExport, parseExport, serializeExport } from '@tod/rsc';
import { describe, expect, it } from 'vitest';
import { readExport } from '../../../../fixtures/index.js';
import { TemplateError } from '../../src/features/templates/errors.js';
import { planTemplate } from '../../src/features/templates/plan.js';
import { renderTemplate } from '../../src/features/templates/render.js';
import { templateDevice } from './device.js';
import { afterPush } from './push.js';

const office = readExport('v7.18-office.rsc');
const srv = readExport('v6.27-srv.rsc');

/** What the office router already has, as a template. */
const officeTemplate = [
  '/interface bridge',
  'add name={{ bridge }}',
  '/interface bridge port',
  '{% for p in ports %}add bridge={{ bridge }} interface={{ p }}',
  '{% endfor %}/ip dhcp-client',
  'add interface={{ bridge }} disabled=no',
  '/interface wireless',
  'set [ find default-name=wlan1 ] mode=ap-bridge ssid={{ ssid | ros }} disabled=no',
  '/system identity',
  'set name={{ device.name }}',
].join('\n');

const officeValues = { bridge: 'bridge', ports: ['ether1', 'ether2', 'wlan1'], ssid: 'praze' };
const render = (values: Record<string, unknown> = {}) =>
  renderTemplate(officeTemplate, {
    device: templateDevice({ name: 'office' }),
    values: { ...officeValues, ...values } as never,
  }).text;

describe('planning a template against a device', () => {
  it('finds nothing to do where the template is already applied', () => {
    const plan = planTemplate(render(), office);
    expect(plan).toMatchObject({ inSync: true, commands: [], unsupported: [] });
    expect(plan.diff.equal).toBe(true);
  });

  it('sets a changed property with one set', () => {
    const plan = planTemplate(render({ ssid: 'Praze Guest' }), office);
    expect(plan.inSync).toBe(false);
    expect(plan.commands).toEqual([
      {
        path: '/interface/wireless',
        verb: 'set',
        where: { 'default-name': 'wlan1' },
        properties: { ssid: 'Praze Guest' },
        cli: '/interface wireless set [ find default-name=wlan1 ] ssid="Praze Guest"',
      },
    ]);
    expect(plan.diff.menus[0]?.changed[0]?.changes).toEqual([{ name: 'ssid', old: 'praze', new: 'Praze Guest' }]);
  });

  it('creates an item whose key is new, and only that', () => {
    const plan = planTemplate(render({ ports: ['ether1', 'ether2', 'sfp1', 'wlan1'] }), office);
    expect(plan.commands.map((c) => c.cli)).toEqual(['/interface bridge port add bridge=bridge interface=sfp1']);
    // Ports the template does not name stay: a template describes what must be there, not everything.
    expect(planTemplate(render({ ports: ['ether1'] }), office).commands).toEqual([]);
  });

  it('is in sync after its commands ran', () => {
    const template = [
      render({ ssid: 'new' }),
      '/ip firewall filter',
      'add action=accept chain=input comment="tod: established" connection-state=established,related',
      'add action=drop chain=input comment="tod: wan" in-interface=ether1',
      '/ip dns set allow-remote-requests=yes servers=1.1.1.1',
    ].join('\n');
    const first = planTemplate(template, office);
    expect(first.commands.map((c) => c.verb)).toEqual(['set', 'add', 'add', 'set']);
    const pushed = afterPush(
      office,
      first.commands.map((c) => c.cli),
    );
    expect(planTemplate(template, pushed)).toMatchObject({ inSync: true, commands: [] });
  });

  it('reports drift after an out-of-band change, with the diff and the commands that undo it', () => {
    const template = render();
    expect(planTemplate(template, office).inSync).toBe(true);
    const changedByHand = office.replace(
      'set [ find default-name=wlan1 ] disabled=no',
      'set [ find default-name=wlan1 ] disabled=yes',
    );
    const drift = planTemplate(template, changedByHand);
    expect(drift.inSync).toBe(false);
    expect(drift.diff.menus.map((m) => m.path)).toEqual(['/interface/wireless']);
    expect(drift.commands.map((c) => c.cli)).toEqual([
      '/interface wireless set [ find default-name=wlan1 ] disabled=no',
    ]);
  });

  it('reads compact and terse templates alike, and a normalised backup as it is stored', () => {
    const terse = serializeExport(parseExport(render({ ssid: 'x' })), { style: 'terse' });
    const stored = normalizeExport(office).text;
    const a = planTemplate(render({ ssid: 'x' }), office);
    const b = planTemplate(terse, stored, { normalized: true });
    expect(b.commands).toEqual(a.commands);
  });

  it("uses the device's version for defaults that changed (RouterOS 6 creates DHCP servers disabled)", () => {
    const dhcp = '/ip dhcp-server\nadd address-pool=dhcp disabled=no interface=bridge-local name=default';
    // v6.27 export: the server says disabled=no, as RouterOS 6 writes it.
    expect(planTemplate(dhcp, srv).inSync).toBe(true);
    const withoutFlag = srv.replace(
      'add address-pool=dhcp disabled=no interface=bridge-local',
      'add address-pool=dhcp interface=bridge-local',
    );
    expect(planTemplate(dhcp, withoutFlag).commands.map((c) => c.cli)).toEqual([
      '/ip dhcp-server set [ find name=default ] disabled=no',
    ]);
    // The same export read as RouterOS 7 (enabled by default): nothing to do.
    expect(planTemplate(dhcp, withoutFlag, { major: 7 }).inSync).toBe(true);
  });

  it('keeps firewall rules in the template order, keyed by their comments', () => {
    const rules = [
      '/ip firewall filter',
      'add chain=input comment="Accept related connections" connection-state=related',
      'add chain=input comment="Accept established connections" connection-state=established',
    ].join('\n');
    const plan = planTemplate(rules, srv);
    expect(plan.commands.map((c) => [c.path, c.verb])).toEqual([
      ['/ip/firewall/filter', 'move'],
      ['/ip/firewall/filter', 'move'],
    ]);
    const pushed = afterPush(
      srv,
      plan.commands.map((c) => c.cli),
    );
    const comments = parseExport(pushed)
      .sections.find((s) => s.path === '/ip/firewall/filter')
      ?.commands.map((c) => c.args.find((a) => a.name === 'comment')?.value)
      .filter(Boolean);
    expect(comments?.slice(0, 4)).toEqual([
      'IPTV',
      'Ping',
      'Accept related connections',
      'Accept established connections',
    ]);
    expect(planTemplate(rules, pushed).inSync).toBe(true);
  });

  it('lists template lines that are not configuration', () => {
    const plan = planTemplate(':global x 1\n/system identity set name=office\n/ip address print', office);
    expect(plan.inSync).toBe(true);
    expect(plan.unsupported).toEqual([
      'line 1: :global x 1 (script statements do not describe configuration)',
      'line 3: /ip address print (print does not describe configuration)',
    ]);
  });

  it('fails with template_output and the line when the rendered text is not RouterOS script', () => {
    let error: unknown;
    try {
      planTemplate('/system identity set name=x\n/ip address add address="10.0.0.1/24', office);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ code: 'template_output', line: 2 });
  });
});
