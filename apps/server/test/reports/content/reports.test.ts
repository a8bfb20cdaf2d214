import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatTime } from '../../../src/features/reports/content/format.js';
import {
  buildReport,
  type ReportDeps,
  type ReportParams,
  reportContentErrors,
} from '../../../src/features/reports/content/index.js';
import { registerErrors } from '../../../src/platform/http/errors.js';
import { apiAs, expectStatus } from '../../helpers/api.js';
import { createTestContext, type TestContext } from '../../helpers/context.js';
import { factories } from '../../helpers/factories.js';
import { type Seed, seed } from '../../helpers/seed.js';
import {
  csvSections,
  DAY,
  depsOf,
  HOUR,
  history,
  ingest,
  MIN,
  parseCsv,
  partitions,
  pdfInfo,
  pdfText,
  rollUp,
} from './helpers.js';

// The four reports built from a week of history written the way TOD writes it: poll results through ingest (with
// alert evaluation), rollups, a maintenance window made through the API. Read back with pdftotext / as CSV.
//
// Tenant A, two sites:
//   North: r-down   offline 4 h on day 3                       → 97.62 %
//          r-steady always online                              → 100.00 %
//   South: r-slow   degraded 2 h on day 1, offline the last 30 min (ongoing) → 99.70 %
//          r-maint  offline 2 h on day 5, inside a maintenance window        → 100.00 %
// Tenant B: b-secret-router, offline 10 h: never in A's reports.

let ctx: TestContext;
let s: Seed;
let deps: ReportDeps;
const TO = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const FROM = new Date(TO.getTime() - 7 * DAY);
const BUILT = new Date(TO.getTime() + 5 * MIN);
const ORG = 'Zürich Networks – 東京';
const tenantA = () => ({ id: s.a.id, name: ORG });
const ids: Record<string, string> = {};
let north: string;
let south: string;
let siteB: string;

const day = (d: Date) => d.toISOString().slice(0, 10);
const at = (days: number, hours = 0) => FROM.getTime() + days * DAY + hours * HOUR;
const params = (o: Partial<ReportParams>): ReportParams => ({ kind: 'fleet', from: FROM, to: TO, format: 'pdf', ...o });

beforeAll(async () => {
  ctx = await createTestContext();
  s = await seed(ctx);
  registerErrors('reports', reportContentErrors);
  deps = depsOf(ctx, BUILT);
  await partitions(ctx, Date.now(), 9);
  const fa = factories(ctx, s);
  north = (await fa.site({ name: 'North' })).id;
  south = (await fa.site({ name: 'South' })).id;
  siteB = (await factories(ctx, s, s.b).site({ name: 'B site' })).id;
  for (const [name, site] of [
    ['r-down', north],
    ['r-steady', north],
    ['r-slow', south],
    ['r-maint', south],
  ] as const)
    ids[name] = (await fa.device({ name, site_id: site })).id;
  ids['b-secret-router'] = (await factories(ctx, s, s.b).device({ name: 'b-secret-router', site_id: siteB })).id;
  // The maintenance window of r-maint's outage, made through the API.
  expectStatus(
    await apiAs(ctx, s, 'admin').post(`/api/tenants/${s.a.id}/maintenance-windows`, {
      name: 'Core swap',
      starts_at: new Date(at(5)).toISOString(),
      ends_at: new Date(at(5, 2)).toISOString(),
      timezone: 'UTC',
      scopes: [{ kind: 'device', id: ids['r-maint'] }],
    }),
    201,
  );
  const start = FROM.getTime() - 10 * MIN;
  const week = { from: start, to: TO.getTime(), stepMs: 10 * MIN };
  const rb5009 = { model: 'RB5009UG+S+', boardName: 'RB5009UG+S+', version: '7.16.2', serialNumber: 'HEX123' };
  await ingest(ctx, [
    ...history({
      ...week,
      tenantId: s.a.id,
      deviceId: ids['r-down']!,
      device: rb5009,
      phases: [{ from: at(3), to: at(3, 4), status: 'offline' }],
    }),
    ...history({ ...week, tenantId: s.a.id, deviceId: ids['r-steady']!, device: rb5009, temperature: null }),
    ...history({
      ...week,
      tenantId: s.a.id,
      deviceId: ids['r-slow']!,
      device: { model: 'CCR2004-1G-12S+2XS', version: '7.15.3' },
      phases: [
        { from: at(1), to: at(1, 2), status: 'degraded' },
        { from: TO.getTime() - 30 * MIN, to: TO.getTime(), status: 'offline' },
      ],
    }),
    ...history({
      ...week,
      tenantId: s.a.id,
      deviceId: ids['r-maint']!,
      device: { model: 'hAP ax2', version: '6.49.17' },
      phases: [{ from: at(5), to: at(5, 2), status: 'offline' }],
    }),
    ...history({
      ...week,
      tenantId: s.b.id,
      deviceId: ids['b-secret-router']!,
      device: { model: 'SecretModel', version: '7.99' },
      phases: [{ from: at(2), to: at(2, 10), status: 'offline' }],
    }),
  ]);
  await rollUp(ctx, Date.now());
}, 240_000);
afterAll(async () => ctx?.close());

const fmt = (t: number) => formatTime(new Date(t));
/** The PDF's pages (pdftotext separates them with form feeds). */
const pages = (text: string) => text.split('\f').filter((p) => p.trim() !== '');
const csvOf = (data: Buffer) => csvSections(parseCsv(data.toString('utf8')));
const rowOf = (sections: ReturnType<typeof csvOf>, title: string, first: string) =>
  sections.get(title)?.rows.find((r) => r[0] === first);

describe('SLA report', () => {
  it('availability per device, site and organisation, the missed target and its downtime intervals', async () => {
    const r = await buildReport(deps, tenantA(), params({ kind: 'sla' }));
    expect(r.contentType).toBe('application/pdf');
    expect(r.fileName).toBe(`sla-report-zurich-networks-${day(FROM)}_${day(TO)}.pdf`);
    const text = await pdfText(r.data);
    // Down 4 h of a week: 164/168.
    expect(text).toMatch(/r-down\s+North\s+97\.62 %\s+4 h 0 min\s+1\s+missed/);
    expect(text).toMatch(/r-steady\s+North\s+100\.00 %\s+0\s?s\s+0\s+met/);
    // Degraded counts as up; the last 30 min offline are an ongoing outage.
    expect(text).toMatch(/r-slow\s+South\s+99\.70 %\s+30 min\s+1\s+missed/);
    // The 2 h outage inside the maintenance window is not counted.
    expect(text).toMatch(/r-maint\s+South\s+100\.00 %/);
    expect(text).toMatch(/Maintenance excluded\s+2 h 0 min/);
    // The intervals, with their times.
    expect(text).toMatch(new RegExp(`r-down\\s+North\\s+${fmt(at(3))}\\s+${fmt(at(3, 4))}\\s+4 h 0 min`));
    expect(text).toMatch(new RegExp(`r-slow\\s+South\\s+${fmt(TO.getTime() - 30 * MIN)}\\s+ongoing\\s+30 min`));
    expect(text).toMatch(new RegExp(`r-maint\\s+South\\s+${fmt(at(5))}\\s+${fmt(at(5, 2))}\\s+0\\s?s`));
    // Sites and the organisation, time-weighted: North 4 h of 336 h, South 0.5 h of 334 h, all 4.5 h of 670 h.
    expect(text).toMatch(/North\s+2\s+98\.81 %\s+4 h 0 min\s+missed/);
    expect(text).toMatch(/South\s+2\s+99\.85 %\s+30 min\s+missed/);
    expect(text).toMatch(/Availability\s+99\.33 %/);
    expect(text).toMatch(/Target\s+99\.90 %/);
    expect(r.summary).toMatchObject({ kind: 'sla', target_pct: 99.9, met: false, devices: 4, devices_missed: 2 });
    expect(r.summary.availability_pct as number).toBeCloseTo((100 * 665.5) / 670, 6);
  });

  it('judges against the target asked for, and narrows to a site', async () => {
    const r = await buildReport(deps, tenantA(), params({ kind: 'sla', targetPct: 97, siteId: north }));
    const text = await pdfText(r.data);
    expect(text).toMatch(/r-down\s+North\s+97\.62 %\s+4 h 0 min\s+1\s+met/);
    expect(text).toMatch(/Site: North/);
    expect(text).not.toMatch(/r-slow|r-maint|South/);
    expect(r.summary).toMatchObject({ target_pct: 97, met: true, devices: 2, devices_missed: 0 });
  });

  it('as CSV: the same figures unformatted, one section per table', async () => {
    const r = await buildReport(deps, tenantA(), params({ kind: 'sla', format: 'csv' }));
    expect(r.contentType).toBe('text/csv; charset=utf-8');
    expect(r.fileName.endsWith('.csv')).toBe(true);
    const text = r.data.toString('utf8');
    expect(text.split('\r\n').slice(0, 2)).toEqual(['Report,SLA report', `Organisation,${ORG}`]);
    const csv = csvOf(r.data);
    expect(csv.get('Availability by device')?.header).toEqual([
      'Device',
      'Site',
      'Availability (%)',
      'Downtime (s)',
      'Outages',
      'Target',
    ]);
    expect(rowOf(csv, 'Availability by device', 'r-down')).toEqual([
      'r-down',
      'North',
      '97.62',
      '14400',
      '1',
      'missed',
    ]);
    expect(rowOf(csv, 'Downtime intervals', 'r-down')).toEqual([
      'r-down',
      'North',
      new Date(at(3)).toISOString(),
      new Date(at(3, 4)).toISOString(),
      '14400',
    ]);
    expect(rowOf(csv, 'Availability by site', 'South')).toEqual(['South', '2', '99.85', '1800', 'missed']);
    expect(rowOf(csv, 'Organisation', 'Availability (%)')).toEqual(['Availability (%)', '99.33']);
  });
});

describe('fleet report', () => {
  it('devices by status, model and version, availability, top alerts; every page has the header and its number', async () => {
    const r = await buildReport(deps, tenantA(), params({ kind: 'fleet' }));
    const text = await pdfText(r.data);
    expect(text).toMatch(/Devices\s+4\s+Fleet availability\s+99\.33 %/);
    expect(text).toMatch(/7\.16\.2\s+2\s+50\.00 %/);
    expect(text).toMatch(/7\.15\.3\s+1\s+25\.00 %/);
    expect(text).toMatch(/6\.49\.17\s+1\s+25\.00 %/);
    expect(text).toMatch(/RB5009UG\+S\+\s+2\s+50\.00 %/);
    expect(text).toMatch(/online\s+3\s+75\.00 %/);
    expect(text).toMatch(/offline\s+1\s+25\.00 %/);
    // The offline rule fired for the three outages (on the second offline poll, 10 min in).
    expect(text).toMatch(/Device offline\s+critical\s+3\s+3\s+/);
    const list = pages(text);
    expect(list.length).toBe(r.summary.pages);
    expect(list.length).toBeGreaterThan(1);
    list.forEach((p, i) => {
      // Standard fonts have no CJK: those characters are printed '?'.
      expect(p).toContain('Zürich Networks – ??');
      expect(p).toContain(`${fmt(FROM.getTime())} – ${fmt(TO.getTime())} UTC`);
      expect(p).toContain(`Page ${i + 1} of ${list.length}`);
    });
  });

  it('as CSV, and the same bytes for the same data and build time (PDF metadata fixed)', async () => {
    const csv = csvOf((await buildReport(deps, tenantA(), params({ kind: 'fleet', format: 'csv' }))).data);
    expect(csv.get('Devices by RouterOS version')?.rows).toEqual([
      ['7.16.2', '2', '50'],
      ['7.15.3', '1', '25'],
      ['6.49.17', '1', '25'],
    ]);
    expect(rowOf(csv, 'Top alerts (most frequent, then longest)', 'Device offline')?.slice(0, 4)).toEqual([
      'Device offline',
      'critical',
      '3',
      '3',
    ]);
    const one = await buildReport(deps, tenantA(), params({ kind: 'fleet' }));
    const two = await buildReport(deps, tenantA(), params({ kind: 'fleet' }));
    expect(one.data.equals(two.data)).toBe(true);
    const info = await pdfInfo(one.data);
    expect(info.Title).toBe(`Fleet summary – ${ORG}`);
    expect(info.Author).toBe('TOD');
    expect(new Date(info.CreationDate!).toISOString()).toBe(BUILT.toISOString());
  });
});

describe('device report', () => {
  it('hardware, trends as charts, interfaces, events and alerts of the period', async () => {
    const r = await buildReport(deps, tenantA(), params({ kind: 'device', deviceId: ids['r-down'] }));
    const text = await pdfText(r.data);
    expect(text).toMatch(/Device: r-down/);
    expect(text).toMatch(/Model\s+RB5009UG\+S\+\s+Board\s+RB5009UG\+S\+/);
    expect(text).toMatch(/Serial number\s+HEX123/);
    expect(text).toMatch(/RouterOS\s+7\.16\.2/);
    expect(text).toMatch(/Availability\s+97\.62 %\s+Downtime\s+4 h 0 min/);
    for (const chart of ['CPU load', 'Memory and disk used', 'Temperature', 'Voltage', 'Traffic on ether1'])
      expect(text).toMatch(new RegExp(`^\\s*${chart}\\s+(%|°C|V|bit/s)\\s*$`, 'm'));
    expect(text).toMatch(/ether1\s+ether\s+02:00:00:00:00:01\s+yes\s+[\d.]+ Mbit\/s\s+50\.0 Mbit\/s\s+5\.00 Mbit\/s/);
    expect(text).toMatch(new RegExp(`Device offline\\s+critical\\s+–\\s+${fmt(at(3) + 10 * MIN)}\\s+${fmt(at(3, 4))}`));
    expect(text).toMatch(new RegExp(`${fmt(at(3))}\\s+critical\\s+device\\.offline\\s+Device is offline`));
    expect(r.summary).toMatchObject({ device_id: ids['r-down'], device: 'r-down', alerts: 1 });
  });

  it('draws temperature only where the device reports it', async () => {
    const text = await pdfText(
      (await buildReport(deps, tenantA(), params({ kind: 'device', deviceId: ids['r-steady'] }))).data,
    );
    expect(text).toMatch(/^\s*CPU load\s+%\s*$/m);
    expect(text).not.toMatch(/^\s*Temperature\s+°C\s*$/m);
  });
});

describe('tenancy and parameters', () => {
  it("a report of tenant A never holds tenant B's devices, and B's ids are not found", async () => {
    for (const kind of ['fleet', 'sla', 'compliance'] as const)
      for (const format of ['pdf', 'csv'] as const) {
        const r = await buildReport(deps, tenantA(), params({ kind, format }));
        const text = format === 'pdf' ? await pdfText(r.data) : r.data.toString('utf8');
        expect(text).not.toMatch(/b-secret-router|SecretModel|7\.99|B site/);
      }
    const b = await pdfText((await buildReport(deps, { id: s.b.id, name: 'B' }, params({ kind: 'sla' }))).data);
    expect(b).toMatch(/b-secret-router/);
    expect(b).not.toMatch(/r-down|r-steady/);
    await expect(
      buildReport(deps, tenantA(), params({ kind: 'device', deviceId: ids['b-secret-router'] })),
    ).rejects.toMatchObject({
      code: 'report_device_not_found',
      status: 404,
    });
    await expect(buildReport(deps, tenantA(), params({ kind: 'sla', siteId: siteB }))).rejects.toMatchObject({
      code: 'report_site_not_found',
      status: 404,
    });
  });

  it("refuses bad periods and parameters with the feature's codes", async () => {
    const bad = async (p: Partial<ReportParams>, code: string, status: number) =>
      expect(buildReport(deps, tenantA(), params(p))).rejects.toMatchObject({ code, status });
    await bad({ from: TO, to: FROM }, 'report_period_invalid', 422);
    await bad({ from: TO, to: TO }, 'report_period_invalid', 422);
    await bad({ from: new Date(TO.getTime() - 367 * DAY) }, 'report_period_invalid', 422);
    await bad({ kind: 'device' }, 'validation_failed', 422);
    await bad({ kind: 'device', deviceId: randomUUID() }, 'report_device_not_found', 404);
    await bad({ kind: 'device', deviceId: 'not-a-uuid' }, 'report_device_not_found', 404);
    await bad({ siteId: randomUUID() }, 'report_site_not_found', 404);
    await bad({ kind: 'sla', targetPct: 0 }, 'validation_failed', 422);
    // 366 days is allowed.
    const year = await buildReport(deps, tenantA(), params({ kind: 'sla', from: new Date(TO.getTime() - 366 * DAY) }));
    expect(await pdfText(year.data)).toMatch(/r-down\s+North\s+97\.62 %/);
  });
});
