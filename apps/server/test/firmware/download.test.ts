import { type DownloadServer, startDownloadServer } from '@tod/simulator';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiAs, expectStatus } from '../helpers/api.js';
import { type FirmwareEnv, quick, startFirmwareEnv } from './helpers.js';

// Filling the package cache from MikroTik's download server (the simulator's, on loopback): MikroTik's file names
// for v7 and v6, every file checked against what was asked, nothing kept unless all arrived, the server's failures
// as clear errors, and only admins.

vi.setConfig({ testTimeout: 60_000 });
let e: FirmwareEnv;
let d: DownloadServer;

beforeAll(async () => {
  d = await startDownloadServer({ versions: ['6.49.17', '7.16.2'], packageBytes: 64 * 1024 });
  e = await startFirmwareEnv([quick({ version: '7.16', architecture: 'arm64' })], {
    FIRMWARE_DOWNLOAD_URL: d.url,
    FIRMWARE_DOWNLOAD_TIMEOUT_SECONDS: '5',
  });
}, 120_000);
afterAll(async () => {
  await e?.stop();
  await d?.close();
});

const download = (body: Record<string, unknown>, caller: 'admin' | 'operator' | 'viewer' = 'admin') =>
  apiAs(e.ctx, e.seed, caller).post(`${e.base}/firmware/packages/download`, body);
const cached = async () =>
  expectStatus<{ items: Array<{ file: string }> }>(await e.admin.get(`${e.base}/firmware/packages`), 200).items.map(
    (p) => p.file,
  );

describe('download into the cache', () => {
  it('fetches RouterOS 7 and an extra by MikroTik’s file names and keeps them, audited', async () => {
    d.requests.length = 0;
    const r = expectStatus<{ items: Array<Record<string, unknown>> }>(
      await download({ version: '7.16.2', architecture: 'arm64', packages: ['routeros', 'wifi-qcom'] }),
      201,
    );
    expect(r.items.map((p) => [p.file, p.size])).toEqual([
      ['routeros@7.16.2@arm64.npk', 64 * 1024],
      ['wifi-qcom@7.16.2@arm64.npk', 64 * 1024],
    ]);
    expect(d.requests).toEqual([
      '/routeros/7.16.2/routeros-7.16.2-arm64.npk',
      '/routeros/7.16.2/wifi-qcom-7.16.2-arm64.npk',
    ]);
    expect(await cached()).toEqual(['routeros@7.16.2@arm64.npk', 'wifi-qcom@7.16.2@arm64.npk']);
    const audit = expectStatus<{ items: Array<{ target_id: string; details: { from: string } }> }>(
      await e.admin.get(`${e.base}/audit-logs?action=firmware.package_downloaded`),
      200,
    );
    expect(audit.items.map((a) => a.target_id).sort()).toEqual([
      'routeros@7.16.2@arm64.npk',
      'wifi-qcom@7.16.2@arm64.npk',
    ]);
    expect(audit.items[0]?.details.from).toBe(d.url);
  });

  it('takes RouterOS itself when no package is named: the v6 bundle for its architecture, x86 without a suffix', async () => {
    d.requests.length = 0;
    const v6 = expectStatus<{ items: Array<{ file: string }> }>(
      await download({ version: '6.49.17', architecture: 'mipsbe' }),
      201,
    );
    expect(v6.items.map((p) => p.file)).toEqual(['routeros-mipsbe@6.49.17@mipsbe.npk']);
    const x86 = expectStatus<{ items: Array<{ file: string }> }>(
      await download({ version: '7.16.2', architecture: 'x86_64' }),
      201,
    );
    expect(x86.items.map((p) => p.file)).toEqual(['routeros@7.16.2@x86.npk']);
    expect(d.requests).toEqual([
      '/routeros/6.49.17/routeros-mipsbe-6.49.17.npk',
      '/routeros/7.16.2/routeros-7.16.2.npk',
    ]);
  });

  it('says why a download failed and keeps nothing, not even the files that did arrive', async () => {
    const before = await cached();
    const refused = async (body: Record<string, unknown>, status: number, code: string, detail: RegExp) => {
      const r = expectStatus<{ code: string; detail: string }>(await download(body), status);
      expect(r.code).toBe(code);
      expect(r.detail).toMatch(detail);
    };
    const arm = { version: '7.16.2', architecture: 'arm' };
    await refused({ version: '7.99', architecture: 'arm' }, 502, 'firmware_download_failed', /no such file.*7\.99/);
    // The first file arrives, the second does not exist: neither is kept.
    await refused({ ...arm, packages: ['routeros', 'nosuchpkg'] }, 502, 'firmware_download_failed', /nosuchpkg/);
    try {
      d.faults = { status: 503 };
      await refused(arm, 502, 'firmware_download_failed', /HTTP 503/);
      d.faults = { cutAfterBytes: 1000 };
      await refused(arm, 502, 'firmware_download_failed', /did not finish|ended after/);
      d.faults = { wrongVersion: '7.15' };
      await refused(arm, 422, 'npk_invalid', /7\.15.*not what was asked/);
      d.faults = { stall: true };
      await refused(arm, 502, 'firmware_download_failed', /did not finish \(it stalled\)|did not answer/);
    } finally {
      d.faults = {};
    }
    expect(await cached()).toEqual(before);
  });

  it('admins only; a bad request is refused by field; another organisation’s cache is its own', async () => {
    for (const who of ['operator', 'viewer'] as const)
      expectStatus(await download({ version: '7.16.2', architecture: 'arm' }, who), 403);
    for (const body of [
      { version: 'latest', architecture: 'arm' },
      { version: '7.16.2', architecture: '../../etc' },
      { version: '7.16.2', architecture: 'arm', packages: ['../x'] },
      { version: '7.16.2', architecture: 'arm', url: 'http://evil' },
    ])
      expect(expectStatus<{ code: string }>(await download(body), 422).code).toBe('validation_failed');
    const b = expectStatus<{ items: unknown[] }>(
      await apiAs(e.ctx, e.seed, 'admin', e.seed.b).get(`/api/tenants/${e.seed.b.id}/firmware/packages`),
      200,
    );
    expect(b.items).toEqual([]);
  });

  it('is rate limited: each call reaches out to MikroTik', async () => {
    let status = 0;
    for (let i = 0; i < 25 && status !== 429; i++)
      status = (await download({ version: '7.16.2', architecture: 'arm', packages: ['nosuchpkg'] })).statusCode;
    expect(status).toBe(429);
  });
});
