import { buildNpk } from '@tod/simulator';
import { describe, expect, it } from 'vitest';
import { NpkInvalid, readNpkHeader } from '../../src/features/firmware/npk.js';
import { archFamily, missingPackages, packageFileName, requiredExtras } from '../../src/features/firmware/packages.js';
import { isMajorJump, orderByTopology, planHops } from '../../src/features/firmware/plan.js';
import { compareVersions, newest, versionOf } from '../../src/features/firmware/versions.js';

// The pure parts of firmware upgrades: version order, the package header, the upgrade path, package sets.

describe('versions', () => {
  it('orders releases as MikroTik does', () => {
    const sorted = ['7.18', '7.17.1', '7.17', '7.17rc1', '7.17beta2', '6.49.17', '6.49', '6.48.7'];
    expect([...sorted].reverse().sort(compareVersions).reverse()).toEqual(sorted);
    expect(newest(['7.16.3', '7.20.4', 'junk', '7.9'])).toBe('7.20.4');
    expect(versionOf('7.16.2 (stable)')).toBe('7.16.2');
  });
});

describe('package headers', () => {
  it('reads the name, version and architecture of a whole package', () => {
    const h = readNpkHeader(buildNpk({ name: 'routeros', version: '7.17rc3', architecture: 'arm64', size: 2000 }));
    expect(h).toMatchObject({ name: 'routeros', version: '7.17rc3', architecture: 'arm64' });
    expect(readNpkHeader(buildNpk({ name: 'routeros-mipsbe', version: '6.49', architecture: 'mips' })).version).toBe(
      '6.49',
    );
  });

  it('refuses anything else with its reason', () => {
    const npk = buildNpk({ name: 'routeros', version: '7.20.4', architecture: 'arm64', size: 1000 });
    expect(() => readNpkHeader(Buffer.from('PK\x03\x04 a zip'))).toThrow(/NPK magic/);
    expect(() => readNpkHeader(npk.subarray(0, 900))).toThrow(/long/);
    const torn = Buffer.from(npk);
    torn.writeUInt32LE(5000, 8 + 42 + 11 + 2);
    expect(() => readNpkHeader(torn)).toThrow(NpkInvalid);
    const badVersion = Buffer.from(npk);
    badVersion[8 + 6 + 17] = 0x7a; // release kind 'z'
    expect(() => readNpkHeader(badVersion)).toThrow(/version/);
  });
});

describe('upgrade path', () => {
  it('one hop within a major; 6.x → newest 6.49 on stable → 7 on the upgrade channel', () => {
    expect(planHops('7.16', '7.20.4', 'long-term')).toEqual([{ channel: 'long-term', version: '7.20.4' }]);
    expect(planHops('6.48.6', '7.20.4', null)).toEqual([
      { channel: 'stable', version: null, atLeast: '6.49' },
      { channel: 'upgrade', version: '7.20.4' },
    ]);
    expect(planHops('6.49.10', '7.20.4', null)).toEqual([{ channel: 'upgrade', version: '7.20.4' }]);
    expect(planHops('7.20.4', '7.20.4', null)).toEqual([]);
    expect(planHops('7.21', '7.20.4', null)).toEqual([]);
    expect(isMajorJump('6.48.6', '7.20.4')).toBe(true);
    expect(isMajorJump('7.16', '7.20.4')).toBe(false);
    expect(isMajorJump(null, '7.20.4')).toBe(false);
  });

  it('keeps the operator’s order where topology is not known', () => {
    const devices = [{ id: 'c' }, { id: 'a' }, { id: 'b' }];
    expect(orderByTopology(devices, new Map())).toEqual(devices);
  });

  it('orders farthest from the core first, unknown places last, ties in the operator’s order', () => {
    const devices = [{ id: 'core' }, { id: 'x' }, { id: 'leaf1' }, { id: 'mid' }, { id: 'leaf2' }];
    const depth = new Map<string, number | null>([
      ['core', 0],
      ['mid', 1],
      ['leaf1', 2],
      ['leaf2', 2],
      ['x', null],
    ]);
    expect(orderByTopology(devices, depth).map((d) => d.id)).toEqual(['leaf1', 'leaf2', 'mid', 'core', 'x']);
  });
});

describe('packages', () => {
  const pkg = (name: string, version = '7.16') => ({ name, version, disabled: false });

  it('names files as MikroTik does and folds architecture spellings', () => {
    expect(packageFileName('routeros', '7.20.4', 'arm64')).toBe('routeros-7.20.4-arm64.npk');
    expect(packageFileName('routeros', '7.20.4', 'x86_64')).toBe('routeros-7.20.4.npk');
    expect(packageFileName('routeros-mipsbe', '6.49.17', 'mips')).toBe('routeros-mipsbe-6.49.17.npk');
    expect(archFamily('mips')).toBe('mipsbe');
  });

  it('requires every extra the router had; across 6 → 7 the bundle’s parts are inside routeros', () => {
    expect(requiredExtras([pkg('routeros'), pkg('wifi-qcom-ac'), pkg('container')], '7.16')).toEqual([
      'container',
      'wifi-qcom-ac',
    ]);
    const v6 = ['routeros-mipsbe', 'system', 'wireless', 'dhcp', 'ppp', 'ntp'].map((n) => pkg(n, '6.48.6'));
    expect(requiredExtras(v6, '6.48.6')).toEqual(['ntp']);
    expect(
      missingPackages(['container', 'wifi-qcom-ac'], [pkg('routeros', '7.20.4'), pkg('container', '7.20.4')]),
    ).toEqual(['wifi-qcom-ac']);
  });
});
