import type { Site } from '@/api/sites';
import { Card, CardHeader } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import { ago } from '@/lib/format';

// The site's roll-up: how many of its devices are in each status and how many alerts are open there.

const statuses = [
  ['online', 'Online', 'text-success'],
  ['degraded', 'Degraded', 'text-warning'],
  ['offline', 'Offline', 'text-destructive'],
  ['unknown', 'Unknown', 'text-muted-foreground'],
] as const;
const severities = [
  ['critical', 'Critical', 'text-destructive'],
  ['warning', 'Warning', 'text-warning'],
  ['info', 'Info', 'text-info'],
] as const;

function Figure(props: { label: string; value: number; tone: string; name: string }) {
  return (
    <div className="grid gap-0.5" data-figure={props.name}>
      <dt className="text-xs text-muted-foreground">{props.label}</dt>
      <dd className={cn('text-xl font-semibold tabular-nums', props.value > 0 ? props.tone : 'text-muted-foreground')}>
        {props.value.toLocaleString()}
      </dd>
    </div>
  );
}

export function HealthCard({ site }: { site: Site }) {
  const h = site.health;
  return (
    <Card aria-label="Health" data-health>
      <CardHeader
        title="Health"
        description={`${h.device_count.toLocaleString()} devices, ${h.sector_count} sectors · changed ${ago(h.last_change_at)}`}
      />
      <div className="grid gap-4 p-4 sm:grid-cols-2">
        <dl className="grid grid-cols-4 gap-3" aria-label="Devices by status">
          {statuses.map(([k, label, tone]) => (
            <Figure key={k} name={k} label={label} value={h.devices_by_status[k]} tone={tone} />
          ))}
        </dl>
        <dl className="grid grid-cols-4 gap-3" aria-label="Active alerts">
          <Figure name="alerts" label="Active alerts" value={h.active_alerts.total} tone="text-foreground" />
          {severities.map(([k, label, tone]) => (
            <Figure key={k} name={k} label={label} value={h.active_alerts[k]} tone={tone} />
          ))}
        </dl>
      </div>
    </Card>
  );
}
