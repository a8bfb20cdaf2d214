import type { Sector } from '@/api/sites';

// The site seen from above: one wedge per sector, centred on its azimuth (0° = north, clockwise) and as wide as
// its beam. Overlapping wedges show where sectors share coverage. Colours come from the AP's status.

const R = 80;
const C = 100;

/** A point on the circle at `deg` (compass bearing). */
function at(deg: number, r = R): [number, number] {
  const rad = ((deg - 90) * Math.PI) / 180;
  return [C + r * Math.cos(rad), C + r * Math.sin(rad)];
}

/** The SVG path of a wedge; a 360° sector is a full circle (an arc cannot start and end on the same point). */
export function wedgePath(azimuth: number, width: number): string {
  if (width >= 360) return `M ${C - R} ${C} A ${R} ${R} 0 1 1 ${C + R} ${C} A ${R} ${R} 0 1 1 ${C - R} ${C} Z`;
  const [x0, y0] = at(azimuth - width / 2);
  const [x1, y1] = at(azimuth + width / 2);
  const large = width > 180 ? 1 : 0;
  const f = (n: number) => n.toFixed(2);
  return `M ${C} ${C} L ${f(x0)} ${f(y0)} A ${R} ${R} 0 ${large} 1 ${f(x1)} ${f(y1)} Z`;
}

const fill: Record<string, string> = {
  online: 'var(--success)',
  degraded: 'var(--warning)',
  offline: 'var(--destructive)',
};

export function SectorDiagram({ sectors }: { sectors: Sector[] }) {
  const label = sectors.length
    ? `Sectors from above: ${sectors.map((s) => `${s.name} facing ${s.azimuth}°, ${s.width}° wide`).join('; ')}`
    : 'No sectors';
  return (
    <svg viewBox="0 0 200 200" className="size-56 shrink-0" role="img" aria-label={label} data-sector-diagram>
      <circle cx={C} cy={C} r={R} fill="none" stroke="var(--border)" />
      {['N', 'E', 'S', 'W'].map((d, i) => {
        const [x, y] = at(i * 90, R + 11);
        return (
          <text key={d} x={x} y={y} fontSize="10" textAnchor="middle" dominantBaseline="middle" fill="currentColor">
            {d}
          </text>
        );
      })}
      {sectors.map((s) => {
        const [lx, ly] = at(s.azimuth, R * 0.62);
        const colour = fill[s.ap_device_status ?? ''] ?? 'var(--muted-foreground)';
        return (
          <g key={s.id} data-wedge={s.name} data-azimuth={s.azimuth} data-width={s.width}>
            <path d={wedgePath(s.azimuth, s.width)} fill={colour} fillOpacity={0.22} stroke={colour} />
            <text x={lx} y={ly} fontSize="9" textAnchor="middle" dominantBaseline="middle" fill="currentColor">
              {s.name}
            </text>
          </g>
        );
      })}
      <circle cx={C} cy={C} r={3} fill="currentColor" />
    </svg>
  );
}
