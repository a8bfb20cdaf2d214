// Spawns the real CLI (from source) and checks output and exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXPORTS_DIR, exportFiles } from '../../../fixtures/index.js';

const pkg = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function cli(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--conditions=source', '--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: pkg,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const fx = (name: string): string => {
  expect(exportFiles()).toContain(name);
  return join(EXPORTS_DIR, name);
};

describe('tod-rsc', () => {
  it('prints help and fails on usage errors with exit 2', () => {
    const help = cli('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('tod-rsc diff <a.rsc> <b.rsc>');
    expect(cli().code).toBe(2);
    const bad = cli('frobnicate');
    expect([bad.code, bad.stderr]).toEqual([2, 'tod-rsc: unknown command frobnicate\nRun tod-rsc --help for usage.\n']);
    expect(cli('diff', fx('v7.18-office.rsc')).code).toBe(2);
    expect(cli('parse', '/nonexistent/x.rsc').stderr).toContain('ENOENT');
  });

  it('parse: summary and JSON', () => {
    const r = cli('parse', fx('v7.18-office.rsc'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('RouterOS: 7.18.2');
    expect(r.stdout).toContain('model: RBD52G-5HacD2HnD');
    const j = cli('parse', fx('v7.18-office.rsc'), '--json');
    expect(JSON.parse(j.stdout).sections[0].path).toBe('/interface/bridge');
  });

  it('reports parse errors as file:line:column with exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rsc-cli-'));
    const bad = join(dir, 'bad.rsc');
    writeFileSync(bad, '/ip address\nadd address=10.0.0.1/24 comment="never closed\n');
    const r = cli('parse', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`tod-rsc: ${bad}:2:33: unterminated quoted string\n`);
    const backup = join(dir, 'router.rsc');
    writeFileSync(backup, Buffer.from([0x88, 0xac, 0xa1, 0xb1, 0, 0, 0, 1, 2, 3]));
    const b = cli('normalize', backup);
    expect(b.code).toBe(1);
    expect(b.stderr).toContain(`${backup}:1:1: this is a binary RouterOS .backup file`);
  });

  it('normalize drops the date and can redact', () => {
    const r = cli('normalize', fx('v7.8-wifi-telescope.rsc'), '--redact');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('# by RouterOS 7.8\n# software id = 8N5J-2IU9\n')).toBe(true);
    expect(r.stdout).not.toContain('serviceobserv2m');
  });

  it('diff: report, commands, lines and JSON', () => {
    const a = fx('v7.18-office.rsc');
    const b = fx('v7.18-tvroom.rsc');
    const report = cli('diff', a, b);
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('/system identity\n  ~ (settings)\n      name: office -> tvroom\n');
    const cmds = cli('diff', a, b, '--commands');
    expect(cmds.stdout).toContain('/system identity set name=tvroom\n');
    expect(cmds.stdout).toContain('/interface bridge port remove [ find bridge=bridge interface=wlan1 ]\n');
    const lines = cli('diff', a, b, '--lines');
    expect(lines.stdout).toContain('-set name=office\n+set name=tvroom\n');
    const json = JSON.parse(cli('diff', a, b, '--json', '--commands').stdout);
    expect(json.equal).toBe(false);
    expect(json.menus.find((m: { path: string }) => m.path === '/system/identity').changed[0].changes).toEqual([
      { name: 'name', old: 'office', new: 'tvroom' },
    ]);
    expect(json.commands).toContain('/system identity set name=tvroom');
    expect(cli('diff', a, a).stdout).toBe('no differences\n');
  });
});
