import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export type ChartSeries = { label: string; color: string; format: (v: number | null) => string };

function cssVar(name: string, fallback: string) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/**
 * A time-series chart on canvas (uPlot): thousands of points draw in a few milliseconds. `data` is columnar, as the
 * metrics API returns it: `[t (Unix seconds), series1, series2, …]`. Loaded lazily with the device page.
 */
export default function Chart(props: {
  data: (number | null)[][];
  series: ChartSeries[];
  height?: number;
  yRange?: [number, number];
  /** The requested window in Unix seconds, so a few fresh samples do not stretch across the whole width. */
  xRange?: [number, number];
  label: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const { series, yRange, height = 180 } = props;
  const [x0, x1] = props.xRange ?? [null, null];

  // (Re)create the plot when its shape changes; data updates go through setData below.
  // biome-ignore lint/correctness/useExhaustiveDependencies: data is applied by the effect below
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const axis = cssVar('--muted-foreground', '#888');
    const grid = cssVar('--border', '#ddd');
    const opts: uPlot.Options = {
      width: el.clientWidth || 600,
      height,
      legend: { live: true },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: x0 !== null && x1 !== null ? { time: true, range: [x0, x1] } : { time: true },
        y: yRange ? { range: yRange } : { auto: true },
      },
      axes: [
        { stroke: axis, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
        {
          stroke: axis,
          grid: { stroke: grid, width: 1 },
          ticks: { stroke: grid },
          size: 84,
          values: (_u, vals) => vals.map((v) => series[0]!.format(v)),
        },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: 1.5,
          fill: `${s.color}18`,
          points: { show: false },
          spanGaps: false,
          value: (_u: uPlot, v: number | null) => s.format(v),
        })),
      ],
    };
    plot.current = new uPlot(opts, props.data as uPlot.AlignedData, el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: el.clientWidth, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [series, yRange, height, x0, x1]);

  useEffect(() => {
    plot.current?.setData(props.data as uPlot.AlignedData);
  }, [props.data]);

  return <div ref={box} role="img" aria-label={props.label} className="tod-chart w-full" />;
}
