import { useQuery } from '@tanstack/react-query';
import { Circle, CircleAlert, CircleCheck, Loader2, ShieldAlert, ShieldCheck, Undo2, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import {
  isFinal,
  keepOperation,
  latestOperationQuery,
  type Operation,
  type OperationStatus,
  operationQuery,
  revertOperation,
} from '@/api/changes';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { trapOf } from './change-set';
import { forgetStarted, useStarted } from './started';
import { clock, happyPath, kindLabel, modeLabel, revertReason, statusLabel, statusTone, strategyLabel } from './words';

// An operation as it happens: its steps (refreshed by the live `change.operation` message), the countdown and
// Keep / Revert while a test-mode change waits, and how it ended — confirmed, reverted (verified or not) or failed.

type Ref = { tenantId: string; deviceId: string };

/** The operation this browser started on the device, or one still running there (started by anyone). */
export function DeviceOperation(props: Ref) {
  const latest = useQuery(latestOperationQuery(props.tenantId, props.deviceId));
  const mine = useStarted(props.deviceId);
  const open = latest.data && !isFinal(latest.data.status) ? latest.data.id : undefined;
  const id = open ?? mine;
  if (!id) return null;
  return (
    <OperationPanel
      key={id}
      {...props}
      operationId={id}
      onDismiss={id === mine ? () => forgetStarted(props.deviceId) : undefined}
    />
  );
}

export function OperationPanel(props: Ref & { operationId: string; onDismiss?: (() => void) | undefined }) {
  const q = useQuery(operationQuery(props.tenantId, props.deviceId, props.operationId));
  if (q.isPending) return <Skeleton className="h-24 w-full" />;
  if (q.error || !q.data)
    return (
      <p role="alert" className="text-[13px] text-destructive">
        Could not load the operation: {q.error?.message}
      </p>
    );
  const op = q.data;
  return (
    <Card data-operation={op.id} data-operation-status={op.status} aria-label="Change operation">
      <header className="flex flex-wrap items-start justify-between gap-3 border-b px-4 py-3">
        <div className="grid gap-0.5">
          <h2 className="flex flex-wrap items-center gap-2 text-[13px] font-semibold">
            {kindLabel[op.kind] ?? op.kind}: {op.summary}
            <Badge tone={statusTone[op.status]} data-status-badge>
              {statusLabel[op.status]}
            </Badge>
          </h2>
          <p className="text-xs text-muted-foreground">
            {modeLabel[op.mode]} apply
            {op.strategy ? ` · ${strategyLabel[op.strategy] ?? op.strategy}` : ''}
            {op.requested_by ? ` · by ${op.requested_by}` : ''} · {dateTime(op.created_at)}
          </p>
        </div>
        {props.onDismiss && isFinal(op.status) ? (
          <Button size="icon-sm" variant="ghost" aria-label="Close the operation" onClick={props.onDismiss}>
            <X aria-hidden />
          </Button>
        ) : null}
      </header>
      <OperationBody op={op} tenantId={props.tenantId} deviceId={props.deviceId} />
    </Card>
  );
}

/** Steps, the countdown and answers, the outcome and the commands of one operation. */
export function OperationBody({ op, tenantId, deviceId }: Ref & { op: Operation }) {
  return (
    <div className="grid gap-3 p-4">
      <Steps op={op} />
      {op.status === 'awaiting_confirmation' ? <Confirmation op={op} tenantId={tenantId} deviceId={deviceId} /> : null}
      {!isFinal(op.status) && op.status !== 'awaiting_confirmation' && op.policies.revert ? (
        <RevertNow op={op} tenantId={tenantId} deviceId={deviceId} />
      ) : null}
      <Outcome op={op} />
      <Commands op={op} />
    </div>
  );
}

function Steps({ op }: { op: Operation }) {
  // What happened, then what is still to come on the way to confirmed.
  const seen: OperationStatus[] = [];
  for (const s of op.steps) if (!seen.includes(s.status)) seen.push(s.status);
  const rest =
    isFinal(op.status) || op.status === 'reverting' ? [] : happyPath(op.mode).filter((s) => !seen.includes(s));
  const at = (s: OperationStatus) => op.steps.findLast((x) => x.status === s)?.at;
  // The error is shown with the outcome; other notes (a watchdog extended) here.
  const notes = op.steps.filter((s) => s.note && s.note !== op.error?.message);
  return (
    <div className="grid gap-2">
      <ol className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs" aria-label="Steps">
        {[...seen, ...rest].map((s) => {
          const state = s === op.status ? (isFinal(s) ? 'done' : 'current') : seen.includes(s) ? 'done' : 'ahead';
          const bad = s === 'failed' || s === 'reverted' || s === 'reverting';
          return (
            <li
              key={s}
              data-step={s}
              data-state={state}
              className={cn(
                'flex items-center gap-1',
                state === 'ahead' && 'text-muted-foreground',
                state === 'current' && 'font-medium',
              )}
              title={at(s) ? dateTime(at(s)) : undefined}
            >
              {state === 'current' ? (
                <Loader2 className="size-3.5 animate-spin" aria-hidden />
              ) : state === 'done' ? (
                bad ? (
                  <CircleAlert className="size-3.5 text-warning" aria-hidden />
                ) : (
                  <CircleCheck className="size-3.5 text-success" aria-hidden />
                )
              ) : (
                <Circle className="size-3.5" aria-hidden />
              )}
              {statusLabel[s]}
            </li>
          );
        })}
      </ol>
      {notes.length > 0 ? (
        <ul className="grid gap-0.5 text-xs text-muted-foreground" aria-label="Step notes">
          {notes.map((s) => (
            <li key={`${s.status}${s.at}`}>
              {statusLabel[s.status]}: {s.note}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Seconds until `deadline`, ticking while shown. */
function useSecondsLeft(deadline: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!deadline) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [deadline]);
  return deadline ? Math.max(0, (Date.parse(deadline) - now) / 1000) : null;
}

function Confirmation({ op, tenantId, deviceId }: Ref & { op: Operation }) {
  const left = useSecondsLeft(op.deadline);
  const keep = useApiMutation(keepOperation, { success: () => 'Kept: TOD is confirming the change' });
  const revert = useApiMutation(revertOperation, { success: () => 'Reverting the change' });
  const ref = { tenantId, deviceId, operationId: op.id };
  const busy = keep.isPending || revert.isPending;
  return (
    <div className="flex flex-wrap items-center justify-between gap-3 rounded-md border border-warning/40 bg-warning/10 px-3 py-2">
      <p className="text-[13px]" role="timer" aria-live="off">
        The change is live. The router puts the old configuration back in{' '}
        <span className="font-mono font-semibold tabular-nums" data-countdown={left === null ? '' : Math.ceil(left)}>
          {left === null ? '…' : clock(left)}
        </span>{' '}
        unless you keep it.
      </p>
      {op.policies.confirm || op.policies.revert ? (
        <div className="flex gap-2">
          {op.policies.confirm ? (
            <Button variant="primary" disabled={busy} onClick={() => keep.mutate(ref)}>
              <ShieldCheck aria-hidden /> Keep
            </Button>
          ) : null}
          {op.policies.revert ? (
            <Button disabled={busy} onClick={() => revert.mutate(ref)}>
              <Undo2 aria-hidden /> Revert
            </Button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function RevertNow({ op, tenantId, deviceId }: Ref & { op: Operation }) {
  const revert = useApiMutation(revertOperation, { success: () => 'Reverting the change' });
  return (
    <div>
      <Button
        size="sm"
        disabled={revert.isPending}
        onClick={() => revert.mutate({ tenantId, deviceId, operationId: op.id })}
      >
        <Undo2 aria-hidden /> Revert now
      </Button>
    </div>
  );
}

function Outcome({ op }: { op: Operation }) {
  const trap = op.error ? trapOf(op.error.message) : null;
  const said = trap ? (
    <p className="text-xs" data-operation-error={op.error?.code}>
      {op.error?.code === 'apply_failed' ? 'The router said: ' : ''}
      <span className="font-medium">{trap.message}</span>
      {trap.property ? <span> (property {trap.property})</span> : null}
      {trap.cli ? <code className="mt-1 block font-mono text-[11px] text-muted-foreground">{trap.cli}</code> : null}
    </p>
  ) : null;
  if (op.status === 'confirmed')
    return (
      <div className="flex items-start gap-2 rounded-md border border-success/30 bg-success/10 px-3 py-2 text-[13px]">
        <CircleCheck className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
        <p data-outcome="confirmed">
          Confirmed: the change is kept on the router
          {op.finished_at ? ` (${dateTime(op.finished_at)})` : ''}.
        </p>
      </div>
    );
  if (op.status === 'reverted' || op.status === 'reverting')
    return (
      <div className="grid gap-1 rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-[13px]" role="status">
        <p data-outcome={op.status}>
          {op.status === 'reverted' ? 'Reverted' : 'Reverting'}
          {op.revert_reason ? `: ${revertReason(op.revert_reason)}` : ''}.
        </p>
        {op.status === 'reverted' ? (
          op.reverted_verified ? (
            <p className="flex items-center gap-1.5 text-success" data-revert-verified="true">
              <ShieldCheck className="size-4" aria-hidden /> Revert verified: the configuration read back equals the one
              before the change.
            </p>
          ) : (
            <p className="flex items-center gap-1.5 font-medium text-destructive" data-revert-verified="false">
              <ShieldAlert className="size-4" aria-hidden /> Revert not verified: the configuration read back does not
              match the one before the change. Check the device.
            </p>
          )
        ) : null}
        {said}
      </div>
    );
  if (op.status === 'failed')
    return (
      <div
        className="grid gap-1 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-[13px]"
        role="alert"
      >
        <p data-outcome="failed" className="font-medium text-destructive">
          Failed: nothing was changed on the router.
        </p>
        {said}
      </div>
    );
  return said;
}

function Commands({ op }: { op: Operation }) {
  if (op.commands.length === 0) return null;
  return (
    <details className="text-xs">
      <summary className="cursor-pointer text-muted-foreground">
        {op.commands.length} command{op.commands.length === 1 ? '' : 's'}, {op.applied_count} applied
        {op.round_trips ? ` · ${op.round_trips} round trips` : ''}
      </summary>
      <CommandList commands={op.commands} />
    </details>
  );
}

export function CommandList({ commands, risky }: { commands: string[]; risky?: Set<number> }) {
  return (
    <ol className="mt-2 grid gap-1 rounded-md border bg-surface p-2 font-mono text-[12px]" aria-label="Commands">
      {commands.map((c, i) => (
        // Commands may repeat exactly; their order is their identity.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={i} data-command className={cn('break-all', risky?.has(i) && 'text-destructive')}>
          {c}
        </li>
      ))}
    </ol>
  );
}
