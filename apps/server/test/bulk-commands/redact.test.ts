import { describe, expect, it } from 'vitest';
import { checkMixing, kindOf } from '../../src/features/bulk-commands/mixing.js';
import { parseCommands } from '../../src/features/bulk-commands/parse.js';
import { planBulkCommands } from '../../src/features/bulk-commands/plan.js';
import { redactLine, redactText, shownCli } from '../../src/features/bulk-commands/redact.js';
import { bounded, MAX_OUTPUT_BYTES } from '../../src/features/bulk-commands/run-steps.js';

// What is shown of a text (secrets masked per menu), the rules for mixing reads, changes and actions, and the
// bound on a device's output.

const masked = (text: string) => redactText(text, parseCommands(text).commands);

describe('masking secrets in commands', () => {
  it('masks values of secret properties, quoted or bare, in arguments and conditions', () => {
    expect(masked('/ppp secret add name=u password="a \\"b\\" c" service=pppoe')).toBe(
      '/ppp secret add name=u password=******** service=pppoe',
    );
    expect(masked('/ppp secret print where password=x or name=u')).toBe(
      '/ppp secret print where password=******** or name=u',
    );
    expect(masked('/ppp secret set [ find password=old ] password=new')).toBe(
      '/ppp secret set [ find password=******** ] password=********',
    );
  });

  it("follows each command's menu: an SNMP community's name is its password, elsewhere a name is a name", () => {
    const text = '/snmp community\nset [ find name=public ] name=s3cret\n/interface set [ find name=ether1 ] comment=x';
    expect(masked(text)).toBe(
      '/snmp community\nset [ find name=******** ] name=********\n/interface set [ find name=ether1 ] comment=x',
    );
  });

  it('joins continuations and keeps menu lines and comments', () => {
    const text =
      '# rotate keys\n/interface wireless security-profiles\nset [ find name=default ] \\\n  wpa2-pre-shared-key=k3y';
    expect(masked(text)).toBe(
      '# rotate keys\n/interface wireless security-profiles\nset [ find name=default ] wpa2-pre-shared-key=********',
    );
  });

  it('shows each step with its secrets masked', () => {
    const plan = planBulkCommands('/ppp secret\nadd name=u password=p\nprint where password=p');
    expect(plan.steps.map(shownCli)).toEqual([
      '/ppp secret add name=u password=********',
      'print where password=********',
    ]);
    expect(redactLine('/tool/e-mail', 'set password=x server=y')).toBe('set password=******** server=y');
  });
});

describe('mixing rules', () => {
  const check = (text: string, allow: string[] = []) => {
    const plan = planBulkCommands(text, { allow });
    expect(plan.errors).toEqual([]);
    return { kind: kindOf(plan.steps), issues: checkMixing(plan.steps).map((i) => [i.line, i.code]) };
  };

  it('reads alone run directly; reads around changes go with the change; actions with reads directly', () => {
    expect(check('/ip address print\n/ip route print count-only')).toEqual({ kind: 'bulk_command_read', issues: [] });
    expect(
      check('/ip address print\n/ip address add address=192.0.2.1/24 interface=ether1\n/ip address print'),
    ).toEqual({ kind: 'bulk_command_change', issues: [] });
    expect(check('/ip cloud force-update\n/ip cloud print')).toEqual({ kind: 'bulk_command_action', issues: [] });
  });

  it('refuses a read between changes, an action with changes, and a session-dropping action before others', () => {
    expect(check('/system identity set name=a\n/system identity print\n/system note set note=b').issues).toEqual([
      [2, 'command_unsupported'],
    ]);
    expect(check('/ip cloud force-update\n/system identity set name=a').issues).toEqual([[1, 'command_unsupported']]);
    expect(check('/system reboot\n/ip cloud print', ['reboot']).issues).toEqual([[1, 'command_unsupported']]);
    expect(check('/ip cloud print\n/system reboot', ['reboot']).issues).toEqual([]);
  });
});

describe('output bound', () => {
  it('cuts a long output at a line end and says so', () => {
    const line = `${'x'.repeat(99)}\n`;
    const text = line.repeat(1000);
    const out = bounded(text);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES + 100);
    expect(out.endsWith(`\n… output cut at ${MAX_OUTPUT_BYTES / 1024} KiB`)).toBe(true);
    expect(
      out
        .split('\n')
        .slice(0, -1)
        .every((l) => l === 'x'.repeat(99)),
    ).toBe(true);
    expect(bounded('short')).toBe('short');
  });
});
