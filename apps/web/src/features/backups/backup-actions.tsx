import { useQuery } from '@tanstack/react-query';
import { Bookmark, CircleAlert, CircleCheck, DatabaseBackup, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { type BackupJob, backupNow, jobsQuery, takeCheckpoint } from '@/api/config-backups';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toast';
import { cn } from '@/lib/cn';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { failureText, jobLabel } from './words';

// "Back up now" and "Checkpoint", and the progress of the device's latest backup job: queued → running → done or
// failed with the reason. The job list refreshes from the live stream at each step (api/config-backups.ts
// configLive), so a scheduled or change-triggered backup shows here too.

type Ref = { tenantId: string; deviceId: string };

/** Says how a job that ended within the request went; one still running is followed by the progress line. */
function announce(j: BackupJob) {
  if (j.status === 'succeeded')
    toast.success(j.unchanged ? 'No change since the last backup' : `${jobLabel(j)} stored as a new version`);
  else if (j.status === 'failed') toast.error(`${jobLabel(j)} failed`, failureText(j.error_code, j.error_detail));
}

export function BackupButtons(props: Ref) {
  const now = useApiMutation(backupNow);
  const take = useApiMutation(takeCheckpoint);
  const [naming, setNaming] = useState(false);
  return (
    <>
      <Button
        variant="primary"
        disabled={now.isPending}
        onClick={() => now.mutate(props, { onSuccess: (r) => announce(r.job) })}
      >
        {now.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <DatabaseBackup aria-hidden />}
        Back up now
      </Button>
      <Button disabled={take.isPending} onClick={() => setNaming(true)}>
        {take.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Bookmark aria-hidden />}
        Checkpoint
      </Button>
      <CheckpointDialog
        open={naming}
        onOpenChange={setNaming}
        // The dialog closes at once: the progress line below follows the job, a refusal is a toast.
        onTake={(name) => take.mutate({ ...props, name }, { onSuccess: (r) => announce(r.job) })}
      />
    </>
  );
}

function CheckpointDialog(props: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onTake: (name: string) => void;
}) {
  const [name, setName] = useState('');
  const close = () => {
    props.onOpenChange(false);
    setName('');
  };
  return (
    <Dialog open={props.open} onOpenChange={(o) => (o ? props.onOpenChange(true) : close())}>
      <DialogContent
        title="Take a checkpoint"
        description="A named restore point: stored even when nothing changed, and never pruned."
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            props.onTake(name.trim());
            close();
          }}
        >
          <Field id="checkpoint-name" label="Name" hint="What it is before, e.g. “before the VLAN work”">
            <Input
              id="checkpoint-name"
              autoFocus
              maxLength={120}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </Field>
          <DialogFooter>
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={!name.trim()}>
              Take checkpoint
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

const steps = ['queued', 'running', 'done'] as const;

/** "in 25 s" for a job about to start (`ago` says "just now" below 45 s). */
function soon(iso: string) {
  const s = Math.round((Date.parse(iso) - Date.now()) / 1000);
  return s < 60 ? `in ${Math.max(s, 1)} s` : ago(iso);
}

/** The latest job of the device: live steps while it runs, then how it ended. */
export function JobProgress(props: Ref) {
  const q = useQuery(jobsQuery(props.tenantId, props.deviceId));
  const j = q.data?.items[0];
  if (!j) return null;
  const step = j.status === 'queued' || j.status === 'running' ? j.status : 'done';
  const active = step !== 'done';
  const retrying = j.status === 'queued' && j.attempts > 0 && j.error_code;
  return (
    <div
      className={cn(
        'flex flex-wrap items-center gap-x-4 gap-y-2 border-b px-4 py-2.5 text-[13px]',
        j.status === 'failed' && 'bg-destructive/5',
      )}
      data-job-status={j.status}
      aria-live="polite"
    >
      <span className="font-medium">{jobLabel(j)}</span>
      <ol className="flex items-center gap-1.5 text-xs" aria-label="Progress">
        {steps.map((s, i) => {
          const reached = steps.indexOf(step) >= i;
          return (
            <li
              key={s}
              className={cn(
                'flex items-center gap-1.5',
                reached ? 'text-foreground' : 'text-muted-foreground',
                s === step && 'font-medium',
              )}
              aria-current={s === step ? 'step' : undefined}
            >
              {i > 0 ? <span aria-hidden>→</span> : null}
              {s === step && active ? <Loader2 className="size-3.5 animate-spin" aria-hidden /> : null}
              {s}
            </li>
          );
        })}
      </ol>
      <span className="min-w-0 flex-1 text-muted-foreground">
        {j.status === 'succeeded' ? (
          <span className="inline-flex items-center gap-1.5">
            <CircleCheck className="size-3.5 text-success" aria-hidden />
            {j.unchanged ? 'No change since the last version' : 'Stored a new version'}{' '}
            <time dateTime={j.finished_at ?? undefined} title={dateTime(j.finished_at)}>
              {ago(j.finished_at)}
            </time>
          </span>
        ) : j.status === 'failed' ? (
          <span className="inline-flex items-start gap-1.5 text-destructive" data-job-error={j.error_code ?? ''}>
            <CircleAlert className="mt-0.5 size-3.5 shrink-0" aria-hidden />
            Failed {ago(j.finished_at)}: {failureText(j.error_code, j.error_detail)}
          </span>
        ) : retrying ? (
          <span>
            Attempt {j.attempts} of {j.max_attempts} failed ({failureText(j.error_code, j.error_detail)}); trying again{' '}
            {ago(j.run_after)}
          </span>
        ) : j.status === 'queued' && Date.parse(j.run_after) > Date.now() ? (
          // A change seen on the router is backed up after a short wait, so that a burst of edits is one version.
          <span>Starts {soon(j.run_after)}</span>
        ) : null}
      </span>
    </div>
  );
}
