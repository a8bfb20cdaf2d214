import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { ChevronLeft } from 'lucide-react';
import { type RolloutDetail, rolloutQuery } from '@/api/rollouts';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { dateTime } from '@/lib/format';
import { modeLabel } from '../changes/words';
import { useFleetStream } from '../fleet/live';
import { Controls } from './controls';
import { DeviceTable } from './device-table';
import { Progress } from './progress';
import { Summary } from './summary';
import { Waves } from './waves';
import { kindLabel, seconds, statusLabel, statusTone } from './words';

// One rollout as it happens: its status and options, the controls its policies allow, the waves, a summary of
// what came of it and every device — refreshed live by `rollout.progress` (api/rollouts.ts rolloutsLive).

export function RolloutPage() {
  const { current } = useTenants();
  const { rolloutId } = useParams({ from: '/_app/rollouts/$rolloutId' });
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="rollouts.read">
      <Rollout tenantId={current.id} id={rolloutId} />
    </RequirePermission>
  );
}

function Rollout({ tenantId, id }: { tenantId: string; id: string }) {
  useFleetStream(tenantId);
  const q = useQuery(rolloutQuery(tenantId, id));
  return (
    <div className="grid gap-4">
      <Link
        to="/rollouts"
        className="inline-flex w-fit items-center gap-1 text-[13px] text-muted-foreground hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden />
        Rollouts
      </Link>
      {q.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : q.error ? (
        <p role="alert" className="text-[13px] text-destructive">
          Could not load the rollout: {q.error.message}
        </p>
      ) : (
        <>
          <Header tenantId={tenantId} r={q.data} />
          <Waves waves={q.data.waves} />
          <Summary rollout={q.data} />
          <DeviceTable rollout={q.data} />
        </>
      )}
    </div>
  );
}

function Header({ tenantId, r }: { tenantId: string; r: RolloutDetail }) {
  const o = r.options;
  const failures = r.counts.failed + r.counts.reverted;
  const threshold =
    o.max_failures === null
      ? 'never pauses'
      : o.max_failures === 0
        ? 'pauses at the first failure'
        : `pauses after more than ${o.max_failures}`;
  const facts: [string, string][] = [
    ['Canary', o.canary ? `${o.canary} ${o.canary === 1 ? 'device' : 'devices'} first` : 'none'],
    ['Batch size', String(o.batch_size)],
    ['Concurrency', `${o.concurrency} at once`],
    ['Max failures', threshold],
    ['Timeout per device', seconds(o.device_timeout_seconds)],
    ['Mode', modeLabel[o.mode]],
    ['Backup after', o.backup_after ? 'yes' : 'no'],
    ...(o.stop_at ? ([['No device starts after', dateTime(o.stop_at)]] as [string, string][]) : []),
  ];
  return (
    <Card data-rollout={r.id} data-rollout-status={r.status}>
      <header className="flex flex-wrap items-start justify-between gap-3 border-b px-4 py-3">
        <div className="grid gap-1">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            {r.name}
            <Badge tone={statusTone[r.status]} data-status-badge>
              {statusLabel[r.status]}
            </Badge>
          </h1>
          <p className="text-[13px] text-muted-foreground">
            {kindLabel(r.kind)} · {r.device_count} {r.device_count === 1 ? 'device' : 'devices'}
            {r.requested_by ? ` · by ${r.requested_by}` : ''}
            {r.started_at
              ? ` · started ${dateTime(r.started_at)}`
              : r.scheduled_at && !r.finished_at
                ? ` · starts ${dateTime(r.scheduled_at)}`
                : ''}
            {r.finished_at ? ` · ended ${dateTime(r.finished_at)}` : ''}
          </p>
          {r.status === 'paused' ? (
            <p className="text-[13px] text-warning" data-pause-reason={r.pause_reason ?? 'manual'}>
              {r.pause_reason === 'failure_threshold'
                ? `Paused after too many failures: ${failures} failed or reverted, more than the threshold of ${o.max_failures ?? 0}. See why below, then resume or cancel.`
                : r.pause_reason === 'window_closed'
                  ? `Paused at the end of its window${o.stop_at ? ` (${dateTime(o.stop_at)})` : ''}: devices already running finished, the rest wait. Resume runs them now.`
                  : 'Paused by hand: devices already running finish their step, no other starts.'}
            </p>
          ) : null}
        </div>
        <Controls tenantId={tenantId} rollout={r} />
      </header>
      <div className="grid gap-3 px-4 py-3">
        <Progress counts={r.counts} total={r.device_count} />
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-[13px] sm:grid-cols-4 lg:grid-cols-7" aria-label="Options">
          {facts.map(([k, v]) => (
            <div key={k} className="grid gap-0.5">
              <dt className="text-xs text-muted-foreground">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
      </div>
    </Card>
  );
}
