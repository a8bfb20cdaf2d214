import { describe, expect, it } from 'vitest';
import { readExport } from '../../../../../fixtures/index.js';
import { fold } from '../../../src/features/reports/content/availability.js';
import type { StatusSpan } from '../../../src/features/reports/content/availability.queries.js';
import { configFindings } from '../../../src/features/reports/content/compliance-config.js';
import { credentialFinding } from '../../../src/features/reports/content/compliance-credentials.js';
import { csvField, renderCsv } from '../../../src/features/reports/content/csv.js';
import type { ReportDoc } from '../../../src/features/reports/content/model.js';
import { renderPdf } from '../../../src/features/reports/content/pdf/render.js';
import { winAnsi } from '../../../src/features/reports/content/pdf/winansi.js';
import { HOUR, parseCsv, pdfText } from './helpers.js';

// The pure parts of the reports: CSV quoting and formula neutralising, WinAnsi text, the export checks on real
// RouterOS exports, availability arithmetic, and the PDF's paging (tables across pages, headers repeated).

const fixture = readExport;
const exposed = (name: string) =>
  configFindings(fixture(name))
    .services.filter((s) => s.exposed)
    .map((s) => s.name);

describe('CSV', () => {
  it('quotes per RFC 4180 and neutralises formulas in text, not in numbers', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    for (const s of ['+1', '-1+2', '@SUM(A1)', '\tx']) expect(csvField(s)).toBe(`'${s}`);
    expect(csvField(-5)).toBe('-5');
    expect(csvField(97.62)).toBe('97.62');
    expect(csvField(Number.NaN)).toBe('');
  });

  it('writes tables as sections that parse back, facts with their unit in the label', () => {
    const doc: ReportDoc = {
      title: 'T',
      subtitle: [],
      summary: {},
      blocks: [
        { type: 'facts', title: 'Overview', facts: [{ label: 'Availability', value: 99.123, kind: 'pct' }] },
        {
          type: 'table',
          title: 'Devices',
          columns: [{ header: 'Name' }, { header: 'Down', kind: 'duration' }, { header: 'Since', kind: 'time' }],
          rows: [
            ['=cmd|"/c calc"!A1', 3600, new Date(Date.UTC(2025, 0, 2, 3, 4))],
            ['Zürich, "core"', null, null],
          ],
        },
        { type: 'line-chart', title: 'not in CSV', unit: '%', series: [] },
      ],
    };
    const text = renderCsv(doc, { organisation: 'Org', from: new Date(0), to: new Date(HOUR) }).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text).not.toContain('not in CSV');
    const rows = parseCsv(text);
    expect(rows.slice(0, 5)).toEqual([
      ['Report', 'T'],
      ['Organisation', 'Org'],
      ['Period start', '1970-01-01T00:00:00.000Z'],
      ['Period end', '1970-01-01T01:00:00.000Z'],
      [''],
    ]);
    expect(rows.slice(5, 8)).toEqual([['Overview'], ['Item', 'Value'], ['Availability (%)', '99.12']]);
    expect(rows.slice(9)).toEqual([
      ['Devices'],
      ['Name', 'Down (s)', 'Since'],
      [`'=cmd|"/c calc"!A1`, '3600', '2025-01-02T03:04:00.000Z'],
      ['Zürich, "core"', '', ''],
      [''],
    ]);
  });
});

describe('WinAnsi text', () => {
  it('keeps Latin-1 and the typographic extras, maps the rest to ?', () => {
    expect(winAnsi('Zürich – “core” … 100 € ©')).toBe('Zürich – “core” … 100 € ©');
    expect(winAnsi('東京 🚀 Ω')).toBe('?? ? ?');
    expect(winAnsi('a\tb\nc\u0085d')).toBe('a b c d');
    expect(winAnsi('a\nb', true)).toBe('a\nb');
  });
});

describe('the export checks', () => {
  it('starts /ip service from RouterOS defaults (www-ssl off) and applies what the export changes', () => {
    // Verbose 6.43: everything listed, www-ssl disabled.
    expect(exposed('v6.43-verbose-router-a1.rsc')).toEqual(['telnet', 'ftp', 'www', 'ssh', 'api', 'winbox', 'api-ssl']);
    // Compact 6.27: telnet, ftp, ssh, api and api-ssl disabled.
    expect(exposed('v6.27-srv.rsc')).toEqual(['www', 'winbox']);
    // 7.x turning www-ssl on with a certificate.
    expect(exposed('v7-wifi-router1.rsc')).toContain('www-ssl');
    // Terse 7.23: every enabled service has an address list.
    expect(exposed('v7.23-terse-bkk00.rsc')).toEqual([]);
    // RouterOS 5 has no api-ssl (and its api is disabled in this export).
    expect(exposed('v5.7-rb493g.rsc')).toEqual(['telnet', 'ftp', 'www', 'ssh', 'winbox']);
    const terse = configFindings(fixture('v7.23-terse-bkk00.rsc')).services.find((s) => s.name === 'api');
    expect(terse).toMatchObject({ enabled: true, address: '160.22.181.181/32', exposed: false });
  });

  it('finds an input-chain drop (IPv4 filter, enabled rules only)', () => {
    expect(configFindings(fixture('v7.20-ccr2116.rsc'))).toMatchObject({ inputDrop: true, inputRules: 14 });
    expect(configFindings(fixture('v6.43-verbose-router-b3.rsc')).inputDrop).toBe(false);
    const own = (rules: string) => configFindings(`/ip firewall filter\n${rules}\n`);
    expect(own('add chain=input action=drop disabled=yes').inputDrop).toBe(false);
    expect(own('add chain=input action=reject').inputDrop).toBe(true);
    expect(own('add chain=forward action=drop').inputDrop).toBe(false);
    expect(own('add chain=input').inputDrop).toBe(false);
    expect(
      configFindings(
        '/ip service\nset winbox address=0.0.0.0/0\nset api address=10.0.0.0/8,::/0\nset telnet disabled=yes',
      )
        .services.filter((s) => s.exposed)
        .map((s) => s.name),
    ).toEqual(['ftp', 'www', 'ssh', 'api', 'winbox', 'api-ssl']);
  });

  it('judges credentials without repeating them', () => {
    expect(credentialFinding({ username: 'admin', password: '' })).toBe('default credentials (admin, empty password)');
    expect(credentialFinding({ username: 'tod', password: '' })).toBe('empty password');
    expect(credentialFinding({ username: 'Tod', password: 'tod' })).toBe('password is the user name');
    expect(credentialFinding({ username: 'tod', password: 'password' })).toBe('a well-known password');
    expect(credentialFinding({ username: 'tod', password: 'Zq9!' })).toBe('short password (under 8 characters)');
    expect(credentialFinding({ username: 'tod', password: 'correct-horse-battery' })).toBeNull();
  });
});

describe('availability', () => {
  const t0 = Date.UTC(2025, 0, 1);
  const span = (status: string, from: number, to: number): StatusSpan => ({
    device_id: 'd',
    status,
    start_at: new Date(t0 + from * HOUR),
    end_at: new Date(t0 + to * HOUR),
  });
  const until = new Date(t0 + 100 * HOUR);

  it('counts offline as down, degraded as up, unknown not at all; merges consecutive offline spans', () => {
    const a = fold(
      [
        span('unknown', 0, 10),
        span('online', 10, 40),
        span('offline', 40, 42),
        span('offline', 42, 44),
        span('degraded', 44, 100),
      ],
      new Map(),
      until,
    ).get('d')!;
    expect(a.monitored).toBe(90 * 3600);
    expect(a.down).toBe(4 * 3600);
    expect(a.pct).toBeCloseTo((100 * 86) / 90, 10);
    expect(a.downtimes).toHaveLength(1);
    expect(a.downtimes[0]).toMatchObject({ seconds: 4 * 3600, counted: 4 * 3600, ongoing: false });
  });

  it('leaves maintenance out of both; a downtime straddling a window counts its part outside', () => {
    const maintenance = new Map([['d', [[t0 + 41 * HOUR, t0 + 50 * HOUR] as [number, number]]]]);
    const a = fold([span('online', 0, 40), span('offline', 40, 44), span('online', 44, 100)], maintenance, until).get(
      'd',
    )!;
    expect(a.maintenance).toBe(9 * 3600);
    expect(a.monitored).toBe(91 * 3600);
    expect(a.down).toBe(1 * 3600);
    expect(a.downtimes[0]).toMatchObject({ seconds: 4 * 3600, counted: 3600 });
  });

  it('an outage that reaches the end of the period is ongoing', () => {
    const a = fold([span('online', 0, 99), span('offline', 99, 100)], new Map(), until).get('d')!;
    expect(a.downtimes[0]?.ongoing).toBe(true);
  });
});

describe('the PDF', () => {
  it('breaks a long table across pages, repeating its header, with "Page n of m" on each', async () => {
    const rows = Array.from({ length: 150 }, (_, i) => [`device-${String(i).padStart(3, '0')}`, 99 + i / 1000]);
    const doc: ReportDoc = {
      title: 'Long',
      subtitle: ['Ünïcode ✓ 東'],
      summary: {},
      blocks: [
        {
          type: 'table',
          title: 'Everything',
          columns: [{ header: 'Device' }, { header: 'Availability', kind: 'pct' }],
          rows,
        },
        { type: 'line-chart', title: 'Empty chart', unit: '%', series: [{ name: 'x', points: [] }] },
      ],
    };
    const { data, pages } = await renderPdf(doc, {
      organisation: 'Org',
      from: new Date(0),
      to: new Date(HOUR),
      builtAt: new Date(0),
    });
    expect(data.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pages).toBeGreaterThanOrEqual(3);
    const list = (await pdfText(data)).split('\f').filter((p) => p.trim());
    expect(list).toHaveLength(pages);
    list.forEach((p, i) => {
      expect(p).toContain(`Page ${i + 1} of ${pages}`);
      if (!p.includes('device-')) return;
      // Every page the table runs on starts it with its header; the later ones say it continues.
      expect(p).toMatch(/Device\s+Availability/);
      if (i > 0) expect(p).toContain('Everything (continued)');
    });
    expect(list.filter((p) => p.includes('(continued)')).length).toBeGreaterThanOrEqual(2);
    const all = list.join('\n');
    for (const r of rows) expect(all).toContain(r[0] as string);
    expect(all).toMatch(/device-149\s+99\.15 %/);
    expect(all).toContain('Ünïcode ? ?');
    expect(all).toContain('No data collected in this period.');
  });
});
