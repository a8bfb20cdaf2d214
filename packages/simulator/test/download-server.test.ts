import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DownloadServer, packageFileName, parsePackageFile, readNpk, startDownloadServer } from '../src/index.js';

// MikroTik's download server on loopback: MikroTik's file names, published versions only, and its failures.

let d: DownloadServer;
beforeAll(async () => {
  d = await startDownloadServer({ versions: ['6.49.17', '7.16.2'], packageBytes: 4096 });
});
afterAll(() => d?.close());

const get = (file: string, version = '7.16.2') => fetch(`${d.url}/${version}/${file}`);

describe('download server', () => {
  it('reads MikroTik’s file names back into the package they hold', () => {
    expect(parsePackageFile(packageFileName('routeros', '7.16.2', 'arm64'))).toEqual({
      npkName: 'routeros',
      version: '7.16.2',
      npkArch: 'arm64',
    });
    expect(parsePackageFile(packageFileName('routeros', '7.16.2', 'x86_64'))).toMatchObject({ npkArch: 'x86' });
    expect(parsePackageFile(packageFileName('wifi-qcom-ac', '7.16.2', 'arm'))).toMatchObject({
      npkName: 'wifi-qcom-ac',
    });
    expect(parsePackageFile(packageFileName('routeros', '6.49.17', 'mipsbe'))).toEqual({
      npkName: 'routeros-mipsbe',
      version: '6.49.17',
      npkArch: 'mips',
    });
    for (const bad of ['routeros-7.16.2-sparc.npk', 'evil-7.16.2-arm.npk', 'routeros.npk', '../etc/passwd'])
      expect(parsePackageFile(bad), bad).toBeUndefined();
  });

  it('serves a published version’s package, whole, and 404 for anything else', async () => {
    const r = await get('routeros-7.16.2-arm64.npk');
    expect(r.status).toBe(200);
    const bytes = Buffer.from(await r.arrayBuffer());
    expect(bytes.length).toBe(4096);
    expect(readNpk(bytes)).toMatchObject({ name: 'routeros', version: '7.16.2', architecture: 'arm64' });
    expect((await get('routeros-7.15-arm64.npk', '7.15')).status).toBe(404);
    expect((await get('routeros-7.16.1-arm64.npk')).status).toBe(404); // version in the path and file differ
    expect(
      readNpk(Buffer.from(await (await get('routeros-mipsbe-6.49.17.npk', '6.49.17')).arrayBuffer())),
    ).toMatchObject({ name: 'routeros-mipsbe', architecture: 'mips' });
  });

  it('fails as servers do: an error status, a cut transfer, a wrong file', async () => {
    d.faults = { status: 503 };
    expect((await get('routeros-7.16.2-arm.npk')).status).toBe(503);
    d.faults = { cutAfterBytes: 100 };
    const cut = await get('routeros-7.16.2-arm.npk');
    expect(cut.headers.get('content-length')).toBe('4096');
    await expect(cut.arrayBuffer()).rejects.toThrow();
    d.faults = { wrongVersion: '7.15' };
    expect(readNpk(Buffer.from(await (await get('routeros-7.16.2-arm.npk')).arrayBuffer()))?.version).toBe('7.15');
    d.faults = {};
  });
});
