import type { SignalPoint } from '@/api/wireless';

// A client's signal over the chosen window, drawn as SVG: signal with the band between each bucket's lowest and
// highest reading, then SNR and CCQ below on the same time axis. Few points (a fresh client) are drawn as dots
// too, so a single sample is visible. Gaps (no sample) break the line rather than bridging it.

const W = 640;
const H = 110;
const PAD = { left: 48, right: 8, top: 8, bottom: 18 };

type Panel = {
  name: string;
  label: string;
  unit: string;
  value: (p: SignalPoint) => number | null;
  low?: (p: SignalPoint) => number | null;
  high?: (p: SignalPoint) => number | null;
  colour: string;
};

const panels: Panel[] = [
  {
    name: 'signal',
    label: 'Signal',
    unit: 'dBm',
    value: (p) => p.signal,
    low: (p) => p.signal_min,
    high: (p) => p.signal_max,
    colour: 'var(--info)',
  },
  { name: 'snr', label: 'SNR', unit: 'dB', value: (p) => p.snr, colour: 'var(--success)' },
  { name: 'ccq', label: 'CCQ', unit: '%', value: (p) => p.ccq, colour: 'var(--warning)' },
];

const clock = (t: number, long: boolean) =>
  new Date(t).toLocaleString(
    undefined,
    long ? { month: 'short', day: 'numeric' } : { hour: '2-digit', minute: '2-digit' },
  );

export function SignalChart(props: { points: SignalPoint[]; from: number; to: number }) {
  const { points, from, to } = props;
  const x = (t: number) => PAD.left + ((t - from) / (to - from)) * (W - PAD.left - PAD.right);
  const long = to - from > 2 * 86_400_000;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => from + f * (to - from));
  return (
    <div className="grid gap-3" data-signal-chart data-points={points.length}>
      {panels.map((panel) => (
        <PanelChart key={panel.name} panel={panel} points={points} x={x} ticks={ticks} long={long} />
      ))}
    </div>
  );
}

function PanelChart(props: {
  panel: Panel;
  points: SignalPoint[];
  x: (t: number) => number;
  ticks: number[];
  long: boolean;
}) {
  const { panel, points, x } = props;
  const rows = points.map((p) => ({
    t: Date.parse(p.time),
    v: panel.value(p),
    lo: panel.low?.(p) ?? null,
    hi: panel.high?.(p) ?? null,
  }));
  const values = rows.flatMap((r) => [r.v, r.lo, r.hi]).filter((v): v is number => v !== null);
  let [min, max] = values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
  if (max - min < 4) [min, max] = [min - 2, max + 2];
  const y = (v: number) => PAD.top + (1 - (v - min) / (max - min)) * (H - PAD.top - PAD.bottom);
  // Runs of consecutive samples: a missing value ends a run.
  const runs: (typeof rows)[] = [];
  let run: typeof rows = [];
  for (const r of rows) {
    if (r.v === null) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(r);
  }
  if (run.length) runs.push(run);
  const band = rows.filter((r) => r.lo !== null && r.hi !== null);
  const bandPath = band.length
    ? `M ${band.map((r) => `${x(r.t).toFixed(1)} ${y(r.hi as number).toFixed(1)}`).join(' L ')} L ${[...band]
        .reverse()
        .map((r) => `${x(r.t).toFixed(1)} ${y(r.lo as number).toFixed(1)}`)
        .join(' L ')} Z`
    : null;
  const latest = [...rows].reverse().find((r) => r.v !== null)?.v ?? null;
  const summary = latest === null ? 'no samples' : `latest ${Math.round(latest)} ${panel.unit}`;
  const dots = rows.filter((r) => r.v !== null).length <= 60;

  return (
    <figure className="grid gap-1" data-panel={panel.name}>
      <figcaption className="text-xs text-muted-foreground">
        {panel.label} ({panel.unit}) · {summary}
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="h-auto w-full"
        role="img"
        aria-label={`${panel.label} over time, ${summary}`}
      >
        {[min, (min + max) / 2, max].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y(v)} y2={y(v)} stroke="var(--border)" />
            <text
              x={PAD.left - 4}
              y={y(v)}
              fontSize="10"
              textAnchor="end"
              dominantBaseline="middle"
              fill="currentColor"
            >
              {Math.round(v)}
            </text>
          </g>
        ))}
        {props.ticks.map((t) => (
          <text key={t} x={x(t)} y={H - 4} fontSize="10" textAnchor="middle" fill="currentColor">
            {clock(t, props.long)}
          </text>
        ))}
        {bandPath ? <path d={bandPath} fill={panel.colour} fillOpacity={0.15} data-band /> : null}
        {runs.map((r) => (
          <polyline
            key={r[0]!.t}
            points={r.map((p) => `${x(p.t).toFixed(1)},${y(p.v as number).toFixed(1)}`).join(' ')}
            fill="none"
            stroke={panel.colour}
            strokeWidth={1.5}
          />
        ))}
        {dots
          ? rows.map((r) =>
              r.v === null ? null : (
                <circle key={r.t} cx={x(r.t)} cy={y(r.v)} r={2.5} fill={panel.colour} data-point>
                  <title>{`${new Date(r.t).toLocaleString()}: ${Math.round(r.v)} ${panel.unit}`}</title>
                </circle>
              ),
            )
          : null}
      </svg>
    </figure>
  );
}
