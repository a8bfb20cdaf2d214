import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { ChevronLeft, Download, Layers } from 'lucide-react';
import { type BulkResults, bulkResultsQuery, type OutputGroup, resultsFileUrl } from '@/api/bulk-commands';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useFleetStream } from '../fleet/live';
import { Progress } from '../rollouts/progress';
import { deviceStatusLabel, deviceStatusTone, errorLabel, kindLabel, statusLabel, statusTone } from '../rollouts/words';

// One bulk command's results: how far the run got, then its outputs grouped by identical result (largest group
// first; failures are groups of their own, with the reason), each naming its devices. Refreshed live while it
// runs (api/bulk-commands.ts bulkCommandsLive) and downloadable as CSV or JSON, one row per device.

export function ResultsPage() {
  const { current } = useTenants();
  const { rolloutId } = useParams({ from: '/_app/bulk-commands/$rolloutId' });
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="bulk_commands.read">
      <Results tenantId={current.id} id={rolloutId} />
    </RequirePermission>
  );
}

function Results({ tenantId, id }: { tenantId: string; id: string }) {
  useFleetStream(tenantId);
  const q = useQuery(bulkResultsQuery(tenantId, id));
  return (
    <div className="grid gap-4">
      <Link
        to="/bulk-commands"
        className="inline-flex w-fit items-center gap-1 text-[13px] text-muted-foreground hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden />
        Bulk commands
      </Link>
      {q.isPending ? (
        <Skeleton className="h-40 w-full" />
      ) : q.error ? (
        <p role="alert" className="text-[13px] text-destructive">
          Could not load the results: {q.error.message}
        </p>
      ) : (
        <>
          <Header tenantId={tenantId} r={q.data} />
          <Groups r={q.data} />
        </>
      )}
    </div>
  );
}

function Header({ tenantId, r }: { tenantId: string; r: BulkResults }) {
  const outputs = r.groups.length;
  return (
    <Card data-results={r.rollout_id} data-status={r.status}>
      <header className="flex flex-wrap items-start justify-between gap-3 border-b px-4 py-3">
        <div className="grid gap-1">
          <h1 className="flex flex-wrap items-center gap-2 text-xl font-semibold tracking-tight">
            {r.name}
            <Badge tone={statusTone[r.status]}>{statusLabel[r.status]}</Badge>
          </h1>
          <p className="text-[13px] text-muted-foreground">
            {kindLabel(r.kind)} · {r.device_count} {r.device_count === 1 ? 'device' : 'devices'} · {outputs}{' '}
            {outputs === 1 ? 'result' : 'different results'}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <Button asChild size="sm">
            <Link to="/rollouts/$rolloutId" params={{ rolloutId: r.rollout_id }}>
              <Layers aria-hidden /> Rollout page
            </Link>
          </Button>
          <Button asChild size="sm">
            <a href={resultsFileUrl(tenantId, r.rollout_id, 'csv')} download>
              <Download aria-hidden /> Download CSV
            </a>
          </Button>
          <Button asChild size="sm">
            <a href={resultsFileUrl(tenantId, r.rollout_id, 'json')} download>
              <Download aria-hidden /> Download JSON
            </a>
          </Button>
        </div>
      </header>
      <div className="grid gap-3 px-4 py-3">
        <Progress counts={r.counts} total={r.device_count} />
        <div className="grid gap-1">
          <h2 className="text-xs text-muted-foreground">Commands</h2>
          <pre className="overflow-x-auto rounded-md border bg-surface px-3 py-2 font-mono text-[12px] leading-5 whitespace-pre-wrap">
            {r.commands}
          </pre>
        </div>
        {r.waiting.length > 0 ? (
          <p className="text-[13px] text-muted-foreground" data-waiting={r.waiting.length}>
            Waiting for {r.waiting.length} {r.waiting.length === 1 ? 'device' : 'devices'}:{' '}
            {r.waiting.map((w, i) => (
              <span key={w.device_id}>
                {i > 0 ? ', ' : ''}
                <Link to="/devices/$deviceId" params={{ deviceId: w.device_id }} className="hover:underline">
                  {w.device_name}
                </Link>{' '}
                ({deviceStatusLabel[w.status].toLowerCase()})
              </span>
            ))}
          </p>
        ) : null}
      </div>
    </Card>
  );
}

function Groups({ r }: { r: BulkResults }) {
  if (r.groups.length === 0)
    return (
      <p className="text-[13px] text-muted-foreground">
        {r.status === 'scheduled' ? 'The run has not started yet.' : 'No device has finished yet.'}
      </p>
    );
  return (
    <ol className="grid gap-3" aria-label="Results">
      {r.groups.map((g, i) => (
        <Group key={`${g.status} ${g.error?.code} ${g.device_ids[0]}`} g={g} n={i + 1} />
      ))}
    </ol>
  );
}

function Group({ g, n }: { g: OutputGroup; n: number }) {
  const count = g.device_ids.length;
  const title = `Result ${n}: ${count} ${count === 1 ? 'device' : 'devices'}`;
  return (
    <li>
      <Card aria-label={title} data-group={n} data-group-status={g.status} data-group-count={count}>
        <header className="flex flex-wrap items-center gap-2 border-b px-4 py-2.5">
          <h2 className="text-[13px] font-semibold">{title}</h2>
          <Badge tone={deviceStatusTone[g.status]}>{deviceStatusLabel[g.status]}</Badge>
        </header>
        <div className="grid gap-3 px-4 py-3">
          {g.error ? (
            <p className="text-[13px] text-destructive" data-group-error={g.error.code}>
              <span className="font-medium">{errorLabel(g.error.code)}</span>
              {g.error.message ? `: ${g.error.message}` : ''}
            </p>
          ) : null}
          {g.output || !g.error ? (
            <pre
              className="max-h-96 overflow-auto rounded-md border bg-surface px-3 py-2 font-mono text-[12px] leading-5 whitespace-pre-wrap"
              data-output
            >
              {g.output || '(no output)'}
            </pre>
          ) : null}
          <ul className="flex flex-wrap gap-x-3 gap-y-1 text-[13px]" aria-label={`Devices of result ${n}`}>
            {g.device_ids.map((id, i) => (
              <li key={id}>
                <Link to="/devices/$deviceId" params={{ deviceId: id }} className="hover:underline">
                  {g.device_names[i] || id}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      </Card>
    </li>
  );
}
