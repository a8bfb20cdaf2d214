import { queryWords } from '@tod/routeros';
import { describe, expect, it } from 'vitest';
import type { CommandIssue } from '../../src/features/bulk-commands/issues.js';
import { type BulkCommand, parseCommands } from '../../src/features/bulk-commands/parse.js';
import { planBulkCommands } from '../../src/features/bulk-commands/plan.js';
import {
  type ActionStep,
  type ChangeStep,
  type ExportStep,
  type ReadStep,
  type Step,
  translateCommand,
} from '../../src/features/bulk-commands/translate.js';

function step(text: string): Step {
  const r = parseCommands(text);
  expect(r.errors).toEqual([]);
  const out = translateCommand(r.commands[0] as BulkCommand);
  if (!('kind' in out)) throw new Error(`refused: ${out.message}`);
  return out;
}

function refusal(text: string): CommandIssue {
  const r = parseCommands(text);
  expect(r.errors).toEqual([]);
  const out = translateCommand(r.commands[0] as BulkCommand);
  if ('kind' in out) throw new Error(`expected a refusal, got ${JSON.stringify(out)}`);
  expect(out.code).toBe('command_unsupported');
  return out;
}

const readOf = (text: string) => step(text) as ReadStep;
const words = (s: ReadStep) => (s.options.query ? queryWords(s.options.query) : []);
const planOf = (text: string) => (step(text) as ChangeStep).command;

describe('reads', () => {
  it('prints a menu', () => {
    expect(readOf('/ip address print detail without-paging')).toEqual({
      kind: 'read',
      line: 1,
      cli: '/ip address print detail without-paging',
      command: '/ip/address/print',
      args: {},
      options: {},
      result: 'rows',
    });
  });

  it('turns where into API query words', () => {
    expect(words(readOf('/ip address print where interface=ether1 and disabled=no'))).toEqual([
      '?interface=ether1',
      '?disabled=no',
      '?#&',
    ]);
    expect(words(readOf('/ip address print where interface!=ether1'))).toEqual(['?interface=ether1', '?#!']);
    expect(words(readOf('/interface print where mtu>1500 or mtu<1500'))).toEqual(['?>mtu=1500', '?<mtu=1500', '?#|']);
    expect(words(readOf('/interface print where mtu>=1500'))).toEqual(['?>mtu=1500', '?mtu=1500', '?#|']);
    expect(words(readOf('/interface print where mtu<=1500'))).toEqual(['?<mtu=1500', '?mtu=1500', '?#|']);
    expect(words(readOf('/interface print where !running'))).toEqual(['?running=yes', '?#!']);
    expect(words(readOf('/interface print where !(type=ether or type=vlan) comment=""'))).toEqual([
      '?type=ether',
      '?type=vlan',
      '?#|',
      '?#!',
      '?comment=',
      '?#&',
    ]);
  });

  it('counts with count-only, picks properties with proplist, and narrows with from=', () => {
    expect(readOf('/ip address print count-only where disabled=no')).toMatchObject({
      args: { 'count-only': '' },
      result: 'count',
    });
    expect(readOf('/ip address print proplist=address,interface').options).toEqual({
      proplist: ['address', 'interface'],
    });
    const from = readOf('/interface print from=[ find type=ether ] where running');
    expect(words(from)).toEqual(['?type=ether', '?running=yes', '?#&']);
    expect(words(readOf('/interface print stats from=ether1'))).toEqual(['?name=ether1']);
    expect(readOf('/interface print stats from=ether1').args).toEqual({ stats: '' });
  });

  it('reads get as a print of the one property of one item', () => {
    expect(readOf('/system identity get name')).toMatchObject({
      command: '/system/identity/print',
      options: { proplist: ['name'] },
      result: 'value',
      valueName: 'name',
    });
    const g = readOf('/interface get [ find default-name=ether1 ] mtu');
    expect(words(g)).toEqual(['?default-name=ether1']);
    expect(g.options.proplist).toEqual(['mtu']);
    expect(words(readOf('/interface get ether1 value-name=mtu'))).toEqual(['?name=ether1']);
    expect(readOf(':put [/system resource get uptime]')).toMatchObject({ valueName: 'uptime', result: 'value' });
    expect(refusal('/interface get [ find ]').message).toMatch(/property name/);
  });

  it('reads monitor once and ping with a count, and refuses the endless forms', () => {
    expect(readOf('/interface monitor-traffic ether1 once')).toMatchObject({
      command: '/interface/monitor-traffic',
      args: { interface: 'ether1', once: '' },
    });
    expect(readOf('/interface ethernet monitor ether1 once')).toMatchObject({
      command: '/interface/ethernet/monitor',
      args: { numbers: 'ether1', once: '' },
    });
    expect(readOf('/system resource monitor once').args).toEqual({ once: '' });
    expect(refusal('/interface monitor-traffic ether1').message).toMatch(/add once/);
    expect(refusal('/interface monitor-traffic ether1 once do={ :put 1 }').message).toMatch(/scripts/);
    expect(readOf('/ping 192.0.2.1 count=3')).toMatchObject({
      command: '/ping',
      args: { address: '192.0.2.1', count: '3' },
    });
    expect(readOf('/tool ping address=192.0.2.1 count=1 src-address=10.0.0.1').command).toBe('/ping');
    expect(refusal('/ping 192.0.2.1').message).toMatch(/count=/);
    expect(refusal('/ping 192.0.2.1 count=100').message).toMatch(/between 1 and 10/);
    expect(refusal('/ping 192.0.2.1 count=3 interval=10ms').message).toMatch(/interval/);
  });

  it('refuses print forms that never end or write files', () => {
    expect(refusal('/log print follow').message).toMatch(/until it is stopped/);
    expect(refusal('/interface print interval=1s').message).toMatch(/until it is stopped/);
    expect(refusal('/ip address print file=out').message).toMatch(/writes a file/);
    expect(refusal('/ip address print ether1').message).toMatch(/not supported/);
    expect(refusal('/interface find').message).toMatch(/print where/);
  });
});

describe('export', () => {
  it('runs in the terminal with a canonical line, never the text as typed', () => {
    expect(step('/ip firewall filter export terse')).toEqual<ExportStep>({
      kind: 'export',
      line: 1,
      cli: '/ip firewall filter export',
    });
    expect((step('/ip/firewall/filter/export verbose hide-sensitive') as ExportStep).cli).toBe(
      '/ip firewall filter export verbose',
    );
    expect((step('/export compact') as ExportStep).cli).toBe('/export');
  });

  it('refuses show-sensitive and file=', () => {
    expect(refusal('/export show-sensitive').message).toMatch(/passwords/);
    expect(refusal('/export file=x').message).toMatch(/writes a file/);
  });
});

describe('changes', () => {
  it('become planned commands with natural-key where', () => {
    expect(planOf('/interface set [ find default-name=ether1 ] mtu=1500 comment="uplink port"')).toEqual({
      path: '/interface',
      verb: 'set',
      where: { 'default-name': 'ether1' },
      properties: { mtu: '1500', comment: 'uplink port' },
      cli: '/interface set [ find default-name=ether1 ] mtu=1500 comment="uplink port"',
    });
    expect(planOf('/interface set ether1 disabled=yes')).toMatchObject({ where: { name: 'ether1' } });
    expect(planOf('/system identity set name=r1')).toEqual({
      path: '/system/identity',
      verb: 'set',
      properties: { name: 'r1' },
      cli: '/system identity set name=r1',
    });
    expect(planOf('/ip firewall filter disable [ find where chain=forward and !disabled ]')).toMatchObject({
      verb: 'disable',
      where: { chain: 'forward', disabled: 'no' },
    });
    expect(planOf('/ip firewall filter remove [ find ]')).toMatchObject({ verb: 'remove', where: {} });
  });

  it('runs relative lines in their menu', () => {
    const plan = planBulkCommands('/ip firewall filter\nadd chain=input action=drop comment="drop rest"');
    expect(plan.errors).toEqual([]);
    expect((plan.steps[0] as ChangeStep).command).toMatchObject({
      path: '/ip/firewall/filter',
      verb: 'add',
      properties: { chain: 'input', action: 'drop', comment: 'drop rest' },
    });
  });

  it('places and moves by find', () => {
    expect(
      planOf('/ip firewall filter add chain=input action=accept place-before=[ find comment="drop rest" ]'),
    ).toEqual({
      path: '/ip/firewall/filter',
      verb: 'add',
      properties: { chain: 'input', action: 'accept' },
      destination: { comment: 'drop rest' },
      cli: '/ip firewall filter add chain=input action=accept place-before=[ find comment="drop rest" ]',
    });
    expect(planOf('/ip firewall filter move [ find comment=a ] destination=[ find comment=b ]')).toMatchObject({
      verb: 'move',
      where: { comment: 'a' },
      destination: { comment: 'b' },
    });
    expect(planOf('/ip firewall filter move [ find comment=a ] [ find comment=b ]').destination).toEqual({
      comment: 'b',
    });
  });

  it('reads unset, comment and make-static', () => {
    expect(planOf('/ip address unset [ find interface=ether1 ] comment')).toMatchObject({
      verb: 'unset',
      where: { interface: 'ether1' },
      unset: ['comment'],
    });
    expect(planOf('/ip dns unset value-name=servers,cache-size').unset).toEqual(['servers', 'cache-size']);
    expect(planOf('/ip address comment [ find interface=ether1 ] comment="wan side"')).toMatchObject({
      verb: 'set',
      properties: { comment: 'wan side' },
    });
    expect(planOf('/ip dhcp-server lease make-static [ find mac-address=00:11:22:33:44:55 ]').verb).toBe('make-static');
  });

  it('refuses selectors that cannot address the same items everywhere', () => {
    expect(refusal('/ip address remove [ find interface=ether1 or interface=ether2 ]').message).toMatch(
      /name=value conditions joined by and/,
    );
    expect(refusal('/interface set [ find mtu>1500 ] mtu=1500').message).toMatch(/"mtu>1500"/);
    expect(refusal('/interface set [ find name=a name=b ] mtu=1500').message).toMatch(/twice/);
    expect(refusal('/ip address remove').message).toMatch(/say which items/);
  });

  it('refuses values it cannot send as written', () => {
    expect(refusal('/system identity set name=[/system resource get board-name]').message).toMatch(/\[ … \] values/);
    expect(refusal('/ip firewall filter add chain=input place-before=first').message).toMatch(/place-before=/);
    expect(refusal('/ip address add copy-from=[ find ]').message).toMatch(/copy-from/);
    expect(refusal('/ip address add address=10.0.0.1/24 disabled').message).toMatch(/expected name=value/);
    expect(refusal('/interface set [ find ] mtu=1 mtu=2').message).toMatch(/twice/);
    expect(planOf('/interface set [ find constructor=x ] constructor=y')).toMatchObject({
      where: { constructor: 'x' },
      properties: { constructor: 'y' },
    });
    expect(refusal('/interface set ether1').message).toMatch(/at least one/);
    expect(refusal('/interface edit ether1 comment').message).toMatch(/interactive/);
  });
});

describe('actions', () => {
  it('run the known ones as API commands', () => {
    expect(step('/ip dns cache flush')).toEqual<ActionStep>({
      kind: 'action',
      line: 1,
      cli: '/ip dns cache flush',
      command: '/ip/dns/cache/flush',
      args: {},
      disconnects: false,
    });
    expect(step('/system reboot')).toMatchObject({ command: '/system/reboot', disconnects: true });
    expect(step('/system script run cleanup')).toMatchObject({ args: { number: 'cleanup' } });
    expect(step('/import setup.rsc')).toMatchObject({ command: '/import', args: { 'file-name': 'setup.rsc' } });
    expect(step('/system reset-configuration no-defaults=yes skip-backup=yes')).toMatchObject({
      args: { 'no-defaults': 'yes', 'skip-backup': 'yes' },
      disconnects: true,
    });
    expect(step('/interface reset-counters ether1')).toMatchObject({
      command: '/interface/reset-counters',
      args: { numbers: 'ether1' },
    });
    expect(step('/interface reset-counters-all')).toMatchObject({ command: '/interface/reset-counters-all' });
  });

  it('refuse the rest', () => {
    expect(refusal('/tool fetch url=http://example.com/x.rsc').message).toMatch(/not run by bulk commands/);
    expect(refusal('/tool e-mail send to=a@example.com').message).toMatch(/not run by bulk commands/);
    expect(refusal('/system reset-configuration run-after-reset=x.rsc').message).toMatch(/not supported/);
    expect(refusal('/interface reset-counters [ find ]').message).toMatch(/item names/);
  });
});

describe('planBulkCommands', () => {
  it('collects parse, deny and translation problems in line order', () => {
    const plan = planBulkCommands('/system reboot\n/interface set 0 mtu=1\n/log print follow\n/ip address print');
    expect(plan.errors.map((e) => [e.line, e.code])).toEqual([
      [1, 'command_denied'],
      [2, 'command_syntax'],
      [3, 'command_unsupported'],
    ]);
  });

  it('runs denied commands an admin allowed, and says so', () => {
    const plan = planBulkCommands('/system identity print\n/system reboot', { allow: ['reboot'] });
    expect(plan.errors).toEqual([]);
    expect(plan.allowed.map((d) => d.id)).toEqual(['reboot']);
    expect(plan.steps.map((s) => s.kind)).toEqual(['read', 'action']);
    expect(plan.changes).toBe(true);
    expect(planBulkCommands('/ip address print\n/interface print').changes).toBe(false);
  });
});
