import { cn } from '@/lib/cn';

// What the map's shapes and colours mean.

const tones: [string, string][] = [
  ['tone-online', 'Online'],
  ['tone-degraded', 'Degraded'],
  ['tone-offline', 'Offline'],
  ['tone-unknown', 'Unknown'],
];

export function MapLegend() {
  return (
    <ul aria-label="Legend" className="mt-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted-foreground">
      {tones.map(([cls, label]) => (
        <li key={cls} className="flex items-center gap-1.5">
          <span aria-hidden className={cn('map-marker map-device size-3', cls)} />
          {label}
        </li>
      ))}
      <li className="flex items-center gap-1.5">
        <span aria-hidden className="map-marker map-site tone-online size-3.5" />
        Site (its worst device)
      </li>
      <li className="flex items-center gap-1.5">
        <span aria-hidden className="map-marker map-cluster tone-online size-4" />
        Several places (zoom in)
      </li>
      {(
        [
          ['', 'Wired link'],
          ['link-wireless', 'Wireless link'],
          ['link-down', 'Down'],
        ] as const
      ).map(([cls, label]) => (
        <li key={label} className="flex items-center gap-1.5">
          <svg aria-hidden width="24" height="6" viewBox="0 0 24 6">
            <line x1="0" y1="3" x2="24" y2="3" className={cn('map-legend-link', cls)} />
          </svg>
          {label}
        </li>
      ))}
    </ul>
  );
}
