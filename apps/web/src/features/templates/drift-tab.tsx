import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { GitCompareArrows, Loader2, RefreshCw, Send } from 'lucide-react';
import { useState } from 'react';
import { checkDrift, type DriftDevice, driftQuery, type Template } from '@/api/templates';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { Semantic } from '../backups/diff-viewer';
import { semanticOf } from './diff';
import { PushDialog } from './push-dialog';
import { type DriftState, driftLabel, driftTone, plural } from './words';

// Drift: the devices the template was pushed to, re-checked against each new backup. A drifted device shows what a
// re-push would change back; Re-push starts a push to the drifted devices, Check now re-checks every device against
// its latest backup at once.

const order: DriftState[] = ['drifted', 'error', 'unknown', 'in_sync'];

export function DriftTab({ tenantId, template }: { tenantId: string; template: Template }) {
  const q = useQuery(driftQuery(tenantId, template.id));
  const check = useApiMutation(checkDrift, {
    success: (r) => `Checked ${plural(r.devices.length, 'device')}: ${r.counts.drifted} drifted`,
  });
  const [repush, setRepush] = useState<string[] | null>(null);
  const d = q.data;
  const devices = [...(d?.devices ?? [])].sort(
    (a, b) => order.indexOf(a.drift) - order.indexOf(b.drift) || a.device_name.localeCompare(b.device_name),
  );
  const drifted = devices.filter((x) => x.drift === 'drifted').map((x) => x.device_id);

  return (
    <Card data-drift>
      <CardHeader
        title="Drift"
        description="Devices this template was pushed to, compared with their latest backup after every backup."
        actions={
          <div className="flex flex-wrap gap-2">
            {template.policies.push && drifted.length > 0 ? (
              <Button onClick={() => setRepush(drifted)}>
                <Send aria-hidden /> Re-push {plural(drifted.length, 'drifted device')}…
              </Button>
            ) : null}
            <Button
              disabled={check.isPending || !d || d.devices.length === 0}
              onClick={() => check.mutate({ tenantId, id: template.id })}
            >
              {check.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <RefreshCw aria-hidden />}
              Check now
            </Button>
          </div>
        }
      />
      {q.isPending ? (
        <TableSkeleton cols={4} />
      ) : q.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the drift: {q.error.message}
        </p>
      ) : devices.length === 0 ? (
        <EmptyState icon={GitCompareArrows} title="Not pushed yet">
          Once the template is pushed, each device it reached is checked against every new backup and listed here.
        </EmptyState>
      ) : (
        <>
          <p className="flex flex-wrap gap-2 border-b px-4 py-2.5 text-[13px]" data-drift-counts>
            {order.map((s) =>
              d?.counts[s] ? (
                <Badge key={s} tone={driftTone[s]} data-count={s}>
                  {d.counts[s]} {driftLabel[s].toLowerCase()}
                </Badge>
              ) : null,
            )}
          </p>
          <ul className="divide-y">
            {devices.map((x) => (
              <DriftRow
                key={x.device_id}
                x={x}
                revision={template.revision}
                canPush={template.policies.push}
                onRepush={() => setRepush([x.device_id])}
              />
            ))}
          </ul>
        </>
      )}
      {repush ? (
        <PushDialog
          tenantId={tenantId}
          template={template}
          initial={{ deviceIds: repush, reuseValues: true }}
          onClose={() => setRepush(null)}
        />
      ) : null}
    </Card>
  );
}

function DriftRow(props: { x: DriftDevice; revision: number; canPush: boolean; onRepush: () => void }) {
  const { x } = props;
  const semantic = x.drift === 'drifted' ? semanticOf(x.diff) : null;
  const stale = x.revision !== null && x.revision < props.revision;
  return (
    <li className="grid gap-2 px-4 py-3" data-drift-device={x.device_name} data-drift-state={x.drift}>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-[13px]">
        <Link to="/devices/$deviceId" params={{ deviceId: x.device_id }} className="font-medium hover:underline">
          {x.device_name}
        </Link>
        <Badge tone={driftTone[x.drift]}>{driftLabel[x.drift]}</Badge>
        <span className="text-xs text-muted-foreground" title={dateTime(x.checked_at)}>
          {x.checked_at ? `checked ${ago(x.checked_at)}` : 'not checked yet'}
          {stale ? ` against revision ${x.revision}` : ''}
        </span>
        <span className="text-xs text-muted-foreground" title={dateTime(x.pushed_at)}>
          pushed {ago(x.pushed_at)}
          {x.rollout_id ? (
            <>
              {' '}
              by{' '}
              <Link to="/rollouts/$rolloutId" params={{ rolloutId: x.rollout_id }} className="underline">
                its rollout
              </Link>
            </>
          ) : null}
        </span>
        {x.drift === 'drifted' && props.canPush ? (
          <Button size="sm" className="ml-auto" aria-label={`Re-push to ${x.device_name}`} onClick={props.onRepush}>
            <Send aria-hidden /> Re-push
          </Button>
        ) : null}
      </div>
      {x.error ? <p className="text-xs text-destructive">{x.error}</p> : null}
      {semantic ? (
        <details className="text-[13px]" open>
          <summary className="cursor-pointer text-muted-foreground">
            What a re-push changes back{x.commands !== null ? ` (${plural(x.commands, 'command')})` : ''}
          </summary>
          <div className="mt-2 grid gap-2">
            <Semantic diff={semantic.diff} count={semantic.count} />
          </div>
        </details>
      ) : null}
    </li>
  );
}
