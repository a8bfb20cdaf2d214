import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { writeResults } from '../../../src/features/ingest/ingest.batch.js';
import type { InterfaceSample, PollResult } from '../../../src/features/poller/types.js';
import { type ReportDeps, reportDepsFrom } from '../../../src/features/reports/content/index.js';
import { ensurePartitions, seriesTables } from '../../../src/platform/timeseries/partitions.js';
import { runRollups } from '../../../src/platform/timeseries/rollups.js';
import type { TestContext } from '../../helpers/context.js';
import { pollResult } from '../../helpers/poll-result.js';

// Shared by the report content tests: a history of polls written the way TOD writes them (poll results through
// ingest's batch writer with the alert evaluator, then the rollups), and the PDF read back as text with poppler.

const run = promisify(execFile);
export const MIN = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** The report dependencies as the reports feature builds them, with a fixed clock. */
export function depsOf(ctx: TestContext, now: Date): ReportDeps {
  const base = reportDepsFrom({
    pools: ctx.pools,
    envelope: ctx.services.envelope,
    services: ctx.services,
  } as unknown as Parameters<typeof reportDepsFrom>[0]);
  return { ...base, now: () => now };
}

export type Phase = { from: number; to: number; status: 'offline' | 'degraded' };

/** Status, reason and message of a poll at `t`, and the event the poller adds when the status changed. */
function statusAt(t: number, phases: Phase[]) {
  const p = phases.find((x) => t >= x.from && t < x.to);
  return p?.status ?? 'online';
}

export type History = {
  tenantId: string;
  deviceId: string;
  from: number;
  to: number;
  stepMs?: number;
  phases?: Phase[];
  device?: PollResult['device'];
  /** CPU load at `t` (default a daily wave between 10 and 50). */
  cpu?: (t: number) => number;
  temperature?: number | null;
};

const iface = (name: string, rx: number, tx: number): InterfaceSample => ({
  name,
  type: 'ether',
  macAddress: `02:00:00:00:00:${name.slice(-1).padStart(2, '0')}`,
  running: true,
  disabled: false,
  rxBytes: '0',
  txBytes: '0',
  rxPackets: '0',
  txPackets: '0',
  rxBps: rx,
  txBps: tx,
  rxPps: rx / 8000,
  txPps: tx / 8000,
});

/**
 * The poll results of a device from `from` to `to`, one per step, as the poller makes them: health and traffic
 * while it answers, none while offline, and a `device.<status>` event whenever the status changes (poll.ts).
 */
export function history(h: History): PollResult[] {
  const step = h.stepMs ?? 5 * MIN;
  const out: PollResult[] = [];
  let prev = 'unknown';
  for (let t = h.from, n = 0; t < h.to; t += step, n++) {
    const status = statusAt(t, h.phases ?? []);
    const cpu = h.cpu?.(t) ?? 30 + 20 * Math.sin((2 * Math.PI * t) / DAY);
    const r = pollResult(h.tenantId, h.deviceId, {
      at: t,
      cpu: Math.round(cpu),
      ...(h.temperature === undefined ? {} : { temperature: h.temperature ?? undefined }),
      status,
      statusReason: status === 'offline' ? 'timeout' : status === 'degraded' ? 'slow' : null,
      device: h.device ?? {},
    });
    if (h.temperature === null && r.health) r.health.temperature = null;
    if (r.health) r.health.uptimeSeconds = 1000 + n * (step / 1000);
    if (status === 'offline') {
      r.health = null;
      r.interfaces = null;
    } else r.interfaces = [iface('ether1', 40e6 + 10e6 * Math.sin(t / HOUR), 5e6), iface('ether2', 1e6, 2e6)];
    if (status !== prev)
      r.events.push({
        type: `device.${status}`,
        severity: status === 'offline' ? 'critical' : status === 'degraded' ? 'warning' : 'info',
        message: `Device is ${status}`,
        details: { previous: prev, status, reason: r.statusReason, detail: null },
      });
    prev = status;
    out.push(r);
  }
  return out;
}

/**
 * Writes results through ingest's batch writer (with alert evaluation), oldest first, in the batches a poller
 * sends: one poll cycle of the fleet each (a batch holds a device once).
 */
export async function ingest(ctx: TestContext, results: PollResult[]) {
  const cycles = new Map<string, PollResult[]>();
  for (const r of results) cycles.set(r.at, [...(cycles.get(r.at) ?? []), r]);
  for (const at of [...cycles.keys()].sort())
    await writeResults(ctx.pools.system, cycles.get(at)!, [ctx.services.alerts.evaluator]);
}

export async function partitions(ctx: Pick<TestContext, 'pools'>, now: number, days: number) {
  await ensurePartitions(ctx.pools.owner, seriesTables({ raw: days + 1, fiveMinute: days + 1, hourly: 90 }), {
    now,
    behindDays: days + 1,
  });
}

/** Runs the rollups until they have caught up with the data. */
export async function rollUp(ctx: Pick<TestContext, 'pools'>, now: number) {
  for (let i = 0; i < 4; i++) await runRollups(ctx.pools.system, { now, graceMs: 0, maxBuckets: 100_000 });
}

/** The PDF's text as `pdftotext -layout` reads it (pages separated by form feeds). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tod-report-'));
  try {
    await writeFile(join(dir, 'r.pdf'), pdf);
    const { stdout } = await run('/usr/bin/pdftotext', ['-layout', join(dir, 'r.pdf'), '-'], {
      maxBuffer: 64 << 20,
    });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The document's metadata as `pdfinfo` prints it. */
export async function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'tod-report-'));
  try {
    await writeFile(join(dir, 'r.pdf'), pdf);
    const { stdout } = await run('/usr/bin/pdfinfo', ['-isodates', join(dir, 'r.pdf')]);
    return Object.fromEntries(
      stdout
        .split('\n')
        .map((l) => /^([^:]+):\s*(.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => [m[1]!, m[2]!]),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** RFC 4180 parsing, for reading the CSV back: rows of fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

/** The CSV's sections by title: the header line and the rows under it. */
export function csvSections(rows: string[][]): Map<string, { header: string[]; rows: string[][] }> {
  const out = new Map<string, { header: string[]; rows: string[][] }>();
  let i = 0;
  while (i < rows.length && !(rows[i]!.length === 1 && rows[i]![0] === '')) i++; // the report's own lines
  while (i < rows.length) {
    i++; // the empty line
    if (i >= rows.length) break;
    const title = rows[i]![0]!;
    const header = rows[i + 1] ?? [];
    i += 2;
    const body: string[][] = [];
    while (i < rows.length && !(rows[i]!.length === 1 && rows[i]![0] === '')) body.push(rows[i++]!);
    out.set(title, { header, rows: body });
  }
  return out;
}
