import { describe, expect, it } from 'vitest';
import { checkDenied, classify, DENY_IDS, DENY_LIST } from '../../src/features/bulk-commands/classify.js';
import { type BulkCommand, parseCommands } from '../../src/features/bulk-commands/parse.js';

function parse(text: string): BulkCommand[] {
  const r = parseCommands(text);
  expect(r.errors).toEqual([]);
  return r.commands;
}

const deniedIds = (text: string, allow: string[] = []) => checkDenied(parse(text), { allow }).denied.map((d) => d.id);

describe('classify', () => {
  it.each([
    ['/ip address print', 'read'],
    ['/system resource get uptime', 'read'],
    ['/ip firewall export', 'read'],
    ['/interface monitor-traffic ether1 once', 'read'],
    ['/ping 192.0.2.1 count=3', 'read'],
    ['/ip address add address=10.0.0.1/24 interface=ether1', 'change'],
    ['/interface set [ find ] mtu=1500', 'change'],
    ['/ip firewall filter remove [ find comment=x ]', 'change'],
    ['/interface enable ether2', 'change'],
    ['/ip firewall filter move [ find comment=a ] destination=[ find comment=b ]', 'change'],
    ['/ip address comment [ find ] comment=x', 'change'],
    ['/ip dhcp-server lease make-static [ find ]', 'change'],
    ['/system reboot', 'action'],
    ['/system routerboard upgrade', 'action'],
    ['/ip dns cache flush', 'action'],
    ['/interface reset-counters-all', 'action'],
  ])('%s is a %s', (text, kind) => {
    expect(classify(parse(text)[0] as BulkCommand)).toBe(kind);
  });
});

describe('deny-list', () => {
  // One command per entry, written the way an operator would.
  const examples: Record<string, string[]> = {
    'reset-configuration': ['/system reset-configuration no-defaults=yes', '/system/reset-configuration'],
    reboot: ['/system reboot', '/system\nreboot'],
    shutdown: ['/system shutdown'],
    user: [
      '/user add name=evil group=full password=x',
      '/user print',
      '/user group set full policy=local',
      '/user ssh-keys remove [ find ]',
      '/user active print',
    ],
    certificate: ['/certificate remove [ find ]', '/certificate print', '/certificate settings set crl-use=no'],
    'file-remove': ['/file remove [ find name="x" ]', '/file remove "flash/backup.rsc"'],
    'file-write': ['/file set [ find name=autorun.rsc ] contents="/user add name=x"', '/file add name=x.rsc'],
    'package-update': ['/system package update install', '/system package update download'],
    'package-uninstall': ['/system package uninstall wireless', '/system package disable [ find name=routing ]'],
    'package-downgrade': ['/system package downgrade'],
    'routerboard-upgrade': ['/system routerboard upgrade'],
    'backup-load': ['/system backup load name=old.backup'],
    import: ['/import file-name=setup.rsc', '/import setup.rsc'],
    'script-run': ['/system script run cleanup'],
    'script-code': [
      '/system scheduler add name=x interval=1m on-event=cleanup',
      '/system script add name=x source="/system reboot"',
      '/tool netwatch add host=192.0.2.1 down-script="/system reboot"',
      '/ip dhcp-server set [ find ] lease-script=hook',
      '/ppp profile set default on-up=x',
    ],
    'ssh-host-key': ['/ip ssh regenerate-host-key'],
  };

  it('has an example for every entry and a reason for each', () => {
    expect(Object.keys(examples).sort()).toEqual([...DENY_IDS].sort());
    for (const e of DENY_LIST) expect(e.reason.length).toBeGreaterThan(20);
  });

  for (const [id, texts] of Object.entries(examples)) {
    it(`denies ${id}`, () => {
      for (const text of texts) expect(deniedIds(text), text).toContain(id);
    });

    it(`runs ${id} when an admin allows it for the run`, () => {
      for (const text of texts) {
        const r = checkDenied(parse(text), { allow: [id] });
        expect(
          r.denied.filter((d) => d.id === id),
          text,
        ).toEqual([]);
        expect(
          r.allowed.map((d) => d.id),
          text,
        ).toContain(id);
      }
    });
  }

  it('answers per line with the entry id and a command_denied issue', () => {
    const r = checkDenied(parse('/system identity print\n/system reboot\n/user print'), {});
    expect(r.denied.map((d) => [d.line, d.id])).toEqual([
      [2, 'reboot'],
      [3, 'user'],
    ]);
    expect(r.errors[0]).toMatchObject({ line: 2, column: 1, code: 'command_denied' });
    expect(r.errors[0]?.message).toMatch(/"reboot".*admin may allow/);
  });

  it('allows only the entries named: another denied line stays denied', () => {
    expect(deniedIds('/system reboot\n/system shutdown', ['reboot'])).toEqual(['shutdown']);
    expect(deniedIds('/system reboot', ['not-an-entry'])).toEqual(['reboot']);
  });

  it('sees through relative menus and terminal abbreviations', () => {
    expect(deniedIds('/system\nreboot')).toEqual(['reboot']);
    expect(deniedIds('/ip firewall\n.. .. system reboot')).toEqual(['reboot']);
    expect(deniedIds('/sys reboot')).toEqual(['reboot']);
    expect(deniedIds('/us print')).toEqual(['user']);
    expect(deniedIds('/ip ss regenerate-host-key')).toEqual(['ssh-host-key']);
  });

  it('leaves ordinary work alone', () => {
    for (const text of [
      '/system identity print',
      '/system identity set name=r1',
      '/ip firewall filter add chain=input action=accept comment="allow mgmt"',
      '/file print',
      '/system package print',
      '/system package update check-for-updates',
      '/system routerboard print',
      '/system scheduler print',
      '/system script print',
      '/ip service set api disabled=no',
      '/ip ssh print',
      '/ip dns cache flush',
    ])
      expect(deniedIds(text), text).toEqual([]);
  });
});
