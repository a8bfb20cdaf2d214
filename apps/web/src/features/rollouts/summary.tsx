import type { RolloutDetail, RolloutDevice } from '@/api/rollouts';
import { Card, CardHeader } from '@/components/ui/card';
import { cn } from '@/lib/cn';
import { errorLabel } from './words';

// What the rollout came to: done, failed, reverted and skipped, and why devices failed — grouped by the error's
// code, so "40 unreachable, 2 refused a command" reads at a glance on a large fleet.

const tiles = [
  ['done', 'Done', 'text-success'],
  ['failed', 'Failed', 'text-destructive'],
  ['reverted', 'Reverted', 'text-warning'],
  ['skipped', 'Skipped', 'text-muted-foreground'],
] as const;

type Reason = { code: string; devices: RolloutDevice[] };

/** Failed and reverted devices by error code, the largest group first. */
export function reasons(devices: RolloutDevice[]): Reason[] {
  const by = new Map<string, RolloutDevice[]>();
  for (const d of devices) {
    if ((d.status !== 'failed' && d.status !== 'reverted') || !d.error) continue;
    const list = by.get(d.error.code) ?? [];
    list.push(d);
    by.set(d.error.code, list);
  }
  return [...by].map(([code, ds]) => ({ code, devices: ds })).sort((a, b) => b.devices.length - a.devices.length);
}

export function Summary({ rollout }: { rollout: RolloutDetail }) {
  const c = rollout.counts;
  const why = reasons(rollout.devices);
  const open = c.pending + c.running;
  return (
    <Card aria-label="Summary">
      <CardHeader
        title="Summary"
        description={
          open
            ? `${open} of ${rollout.device_count} devices still to go (${c.running} running).`
            : `All ${rollout.device_count} devices ended.`
        }
      />
      <dl className="grid grid-cols-2 gap-px border-b bg-border sm:grid-cols-4">
        {tiles.map(([k, label, tone]) => (
          <div key={k} className="grid gap-0.5 bg-card px-4 py-3" data-count={k}>
            <dt className="text-xs text-muted-foreground">{label}</dt>
            <dd className={cn('text-xl font-semibold tabular-nums', c[k] > 0 && tone)}>{c[k]}</dd>
          </div>
        ))}
      </dl>
      {why.length ? (
        <div className="grid gap-2 p-4">
          <h3 className="text-xs font-medium text-muted-foreground">Why devices failed or were reverted</h3>
          <ul className="grid gap-2 text-[13px]">
            {why.map((r) => (
              <li key={r.code} data-reason={r.code} className="grid gap-0.5">
                <span>
                  <span className="font-medium tabular-nums">{r.devices.length}</span> × {errorLabel(r.code)}{' '}
                  <code className="text-xs text-muted-foreground">{r.code}</code>
                </span>
                <span className="text-xs text-muted-foreground">
                  {r.devices
                    .slice(0, 5)
                    .map((d) => d.device_name)
                    .join(', ')}
                  {r.devices.length > 5 ? ` and ${r.devices.length - 5} more` : ''}
                  {r.devices[0]?.error?.message ? ` — ${r.devices[0].error.message}` : ''}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="p-4 text-[13px] text-muted-foreground">
          {c.failed + c.reverted ? 'The failures carry no reason.' : 'No device failed.'}
        </p>
      )}
    </Card>
  );
}
