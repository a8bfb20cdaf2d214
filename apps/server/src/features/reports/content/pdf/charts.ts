import { formatBps } from '../format.js';
import type { Block } from '../model.js';
import { BOLD, bottom, contentWidth, ensureSpace, INK, left, line, MARGIN, MUTED, type Pdf, RULE } from './page.js';
import { timeTicks, valueTicks } from './ticks.js';

// Charts as PDFKit vector paths: line charts of trends (axes, gridlines, labelled ticks, a legend; a null value is a
// gap, not a drop to zero) and horizontal percentage bars with the target drawn across them.

type LineChart = Extract<Block, { type: 'line-chart' }>;
type BarChart = Extract<Block, { type: 'bar-chart' }>;

const COLOURS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed', '#0891b2'];
const PLOT_HEIGHT = 120;
const AXIS_LABELS = 40;
const pad = (n: number) => String(n).padStart(2, '0');

function axisValue(v: number, kind: LineChart['kind']): string {
  if (kind === 'bps') return formatBps(v).replace('bit/s', '');
  return Number.isInteger(v) ? String(v) : v.toFixed(Math.abs(v) < 1 ? 2 : 1);
}

/** At most `n` points a series: the mean of each run (nulls skipped; a run of nulls stays a gap). */
function thin(points: Array<[number, number | null]>, n: number): Array<[number, number | null]> {
  if (points.length <= n) return points;
  const size = Math.ceil(points.length / n);
  const out: Array<[number, number | null]> = [];
  for (let i = 0; i < points.length; i += size) {
    const run = points.slice(i, i + size);
    const vals = run.map((p) => p[1]).filter((v): v is number => v !== null);
    out.push([run[0]![0], vals.length ? vals.reduce((a, b) => a + b, 0) / vals.length : null]);
  }
  return out;
}

/** The median time between samples (the series' resolution). */
function usualStep(points: Array<[number, number | null]>): number {
  const steps = points
    .slice(1)
    .map((p, i) => p[0] - points[i]![0])
    .sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)] ?? Infinity;
}

export function drawLineChart(doc: Pdf, b: LineChart, period: { from: Date; to: Date }) {
  ensureSpace(doc, 16 + PLOT_HEIGHT + 40);
  line(doc, b.title, left(doc), doc.y, { font: BOLD, size: 10.5 });
  line(doc, b.unit, left(doc) + contentWidth(doc) - 120, doc.y + 2, {
    size: 7.5,
    color: MUTED,
    width: 120,
    align: 'right',
  });
  doc.y += 16;
  const x0 = left(doc) + AXIS_LABELS;
  const x1 = left(doc) + contentWidth(doc) - 6;
  const y0 = doc.y;
  const y1 = y0 + PLOT_HEIGHT;
  const t0 = period.from.getTime() / 1000;
  const t1 = period.to.getTime() / 1000;
  const series = b.series.map((s) => ({ ...s, points: thin(s.points, Math.floor(x1 - x0)) }));
  const values = series.flatMap((s) => s.points.map((p) => p[1]).filter((v): v is number => v !== null));

  if (values.length === 0) {
    doc
      .rect(x0, y0, x1 - x0, y1 - y0)
      .lineWidth(0.5)
      .strokeColor(RULE)
      .stroke();
    line(doc, 'No data collected in this period.', x0 + 10, y0 + PLOT_HEIGHT / 2 - 4, { size: 9, color: MUTED });
    doc.y = y1 + 24;
    return;
  }
  const ticks = valueTicks(b.yMin ?? Math.min(0, ...values), b.yMax ?? Math.max(...values));
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  const xOf = (t: number) => x0 + ((t - t0) / (t1 - t0)) * (x1 - x0);
  const yOf = (v: number) => y1 - ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo)) * (y1 - y0);

  // Gridlines and value labels.
  doc.lineWidth(0.4);
  for (const v of ticks) {
    doc.moveTo(x0, yOf(v)).lineTo(x1, yOf(v)).strokeColor(RULE).stroke();
    line(doc, axisValue(v, b.kind), left(doc), yOf(v) - 3, {
      size: 7,
      color: MUTED,
      width: AXIS_LABELS - 4,
      align: 'right',
    });
  }
  // Time axis.
  const { ticks: times, days } = timeTicks(t0, t1);
  for (const t of times) {
    const x = xOf(t);
    doc
      .moveTo(x, y1)
      .lineTo(x, y1 + 3)
      .strokeColor(INK)
      .stroke();
    const d = new Date(t * 1000);
    const label = days
      ? `${pad(d.getUTCDate())}.${pad(d.getUTCMonth() + 1)}.`
      : `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
    line(doc, label, x - 12, y1 + 5, { size: 7, color: MUTED });
  }
  doc.moveTo(x0, y0).lineTo(x0, y1).lineTo(x1, y1).lineWidth(0.8).strokeColor(INK).stroke();

  // The series: a new subpath after every gap (a null, or missing samples: more than twice the usual step).
  series.forEach((s, i) => {
    const colour = COLOURS[i % COLOURS.length]!;
    const gap = 2 * usualStep(s.points);
    let drawing = false;
    let any = false;
    let last = -Infinity;
    for (const [t, v] of s.points) {
      if (v === null || t < t0 || t > t1) {
        drawing = false;
        continue;
      }
      if (t - last > gap) drawing = false;
      last = t;
      if (drawing) doc.lineTo(xOf(t), yOf(v));
      else doc.moveTo(xOf(t), yOf(v));
      drawing = true;
      any = true;
    }
    if (any) doc.lineWidth(1).strokeColor(colour).stroke();
  });

  // Legend.
  let lx = x0;
  const ly = y1 + 16;
  series.forEach((s, i) => {
    doc.rect(lx, ly + 1, 10, 4).fill(COLOURS[i % COLOURS.length]!);
    lx += 14 + line(doc, s.name, lx + 14, ly, { size: 7.5 }) + 12;
  });
  doc.y = ly + 20;
}

const BAR = 14;
const LABEL = 150;

export function drawBarChart(doc: Pdf, b: BarChart) {
  ensureSpace(doc, 16 + BAR * Math.min(b.bars.length, 4) + 24);
  line(doc, b.title, left(doc), doc.y, { font: BOLD, size: 10.5 });
  doc.y += 18;
  if (b.bars.length === 0) {
    line(doc, 'No data in this period.', left(doc), doc.y, { size: 9, color: MUTED });
    doc.y += 22;
    return;
  }
  const x0 = left(doc) + LABEL;
  const x1 = left(doc) + contentWidth(doc) - 56;
  const xOf = (v: number) => x0 + ((Math.min(Math.max(v, b.min), 100) - b.min) / (100 - b.min)) * (x1 - x0);
  let top = doc.y;
  const scale = () => {
    for (const v of valueTicks(b.min, 100, 5).filter((v) => v >= b.min && v <= 100))
      line(doc, `${v} %`, xOf(v) - 10, doc.y, { size: 7, color: MUTED });
    doc.y += 11;
    top = doc.y;
  };
  const target = (from: number, to: number) => {
    if (b.target === undefined) return;
    doc.save().dash(3, { space: 2 }).moveTo(xOf(b.target), from).lineTo(xOf(b.target), to);
    doc.lineWidth(0.8).strokeColor(INK).stroke().undash().restore();
  };
  scale();
  for (const bar of b.bars) {
    if (doc.y + BAR > bottom(doc)) {
      // The target line of this page first, then the scale again on the next.
      target(top - 2, doc.y);
      doc.addPage();
      doc.y = MARGIN.top;
      scale();
    }
    const y = doc.y;
    line(doc, bar.label, left(doc), y + 3, { size: 8, width: LABEL - 8 });
    if (bar.value === null) line(doc, 'no data', x0 + 4, y + 3, { size: 8, color: MUTED });
    else {
      const missed = b.target !== undefined && bar.value < b.target;
      doc.rect(x0, y + 2, Math.max(xOf(bar.value) - x0, 0.5), BAR - 4).fill(missed ? '#dc2626' : '#16a34a');
      line(doc, `${bar.value.toFixed(2)} %`, x1 + 4, y + 3, { size: 8 });
    }
    doc.y = y + BAR;
  }
  target(top - 2, doc.y);
  if (b.target !== undefined) {
    line(doc, `dashed line: target ${b.target} %; red: below target`, x0, doc.y + 3, { size: 7, color: MUTED });
    doc.y += 12;
  }
  doc.y += 12;
}
