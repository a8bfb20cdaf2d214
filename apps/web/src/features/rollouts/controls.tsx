import { DatabaseBackup, Pause, Play, RotateCcw, Square } from 'lucide-react';
import { useState } from 'react';
import {
  backupTargets,
  cancelRollout,
  pauseRollout,
  type RolloutDetail,
  resumeRollout,
  retryFailed,
} from '@/api/rollouts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';

// What a person may do with a rollout, as its `policies` say: pause, resume (optionally with a new failure
// threshold), cancel (after a confirmation), retry the failed devices, back up every target now.

type Props = { tenantId: string; rollout: RolloutDetail };

export function Controls({ tenantId, rollout }: Props) {
  const p = rollout.policies;
  const ref = { tenantId, id: rollout.id };
  const pause = useApiMutation(pauseRollout, { success: () => 'Rollout paused: devices running finish their step' });
  const retry = useApiMutation(retryFailed, {
    success: (r) => `Retrying ${r.counts.pending} ${r.counts.pending === 1 ? 'device' : 'devices'}`,
  });
  const backup = useApiMutation(backupTargets, {
    success: (r) => `Backing up ${r.queued} ${r.queued === 1 ? 'device' : 'devices'}`,
  });
  return (
    <div className="flex flex-wrap items-center gap-2">
      {p.pause ? (
        <Button disabled={pause.isPending} onClick={() => pause.mutate(ref)}>
          <Pause aria-hidden />
          Pause
        </Button>
      ) : null}
      {p.resume ? <ResumeButton {...{ tenantId, rollout }} /> : null}
      {p.retry_failed ? (
        <Button disabled={retry.isPending} onClick={() => retry.mutate(ref)}>
          <RotateCcw aria-hidden />
          Retry failed
        </Button>
      ) : null}
      {p.backup ? (
        <Button disabled={backup.isPending} onClick={() => backup.mutate(ref)}>
          <DatabaseBackup aria-hidden />
          Back up all targets
        </Button>
      ) : null}
      {p.cancel ? <CancelButton {...{ tenantId, rollout }} /> : null}
    </div>
  );
}

function ResumeButton({ tenantId, rollout }: Props) {
  const [open, setOpen] = useState(false);
  const [threshold, setThreshold] = useState('');
  const [never, setNever] = useState(false);
  const resume = useApiMutation(resumeRollout, { success: () => 'Rollout resumed' });
  const failures = rollout.counts.failed + rollout.counts.reverted;
  const n = Number(threshold);
  const invalid = threshold.trim() !== '' && (!Number.isInteger(n) || n < 0);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (invalid) return;
    const max_failures = never ? null : threshold.trim() === '' ? undefined : n;
    resume.mutate(
      { tenantId, id: rollout.id, ...(max_failures === undefined ? {} : { max_failures }) },
      { onSuccess: () => setOpen(false) },
    );
  };
  return (
    <>
      <Button variant="primary" onClick={() => setOpen(true)}>
        <Play aria-hidden />
        Resume
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          title="Resume the rollout"
          description={`${failures} ${failures === 1 ? 'device has' : 'devices have'} failed or been reverted so far. Without a new threshold, the next new failure pauses the rollout again.`}
        >
          <form className="grid gap-4" onSubmit={submit}>
            <Field
              id="resume-threshold"
              label="New failure threshold (optional)"
              hint={`Pause when more than this many devices in all have failed (now ${rollout.options.max_failures ?? 'never'}).`}
              {...(invalid ? { error: 'A whole number, 0 or more.' } : {})}
            >
              <Input
                id="resume-threshold"
                inputMode="numeric"
                value={threshold}
                disabled={never}
                aria-invalid={invalid || undefined}
                onChange={(e) => setThreshold(e.target.value)}
              />
            </Field>
            <label className="flex items-center gap-2 text-[13px]">
              <input type="checkbox" checked={never} onChange={(e) => setNever(e.target.checked)} />
              Never pause for failures again
            </label>
            <DialogFooter>
              <Button onClick={() => setOpen(false)}>Not now</Button>
              <Button type="submit" variant="primary" disabled={invalid || resume.isPending}>
                Resume rollout
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      </Dialog>
    </>
  );
}

function CancelButton({ tenantId, rollout }: Props) {
  const [open, setOpen] = useState(false);
  const cancel = useApiMutation(cancelRollout, { success: () => 'Rollout cancelled' });
  const waiting = rollout.counts.pending;
  return (
    <>
      <Button variant="destructive" onClick={() => setOpen(true)}>
        <Square aria-hidden />
        Cancel
      </Button>
      <Dialog open={open} onOpenChange={setOpen}>
        <DialogContent
          title="Cancel the rollout?"
          description={`${waiting} ${waiting === 1 ? 'device' : 'devices'} not started yet will be skipped; devices already running finish their step. A cancelled rollout cannot be resumed.`}
        >
          <DialogFooter>
            <Button onClick={() => setOpen(false)}>Keep it running</Button>
            <Button
              variant="destructive"
              disabled={cancel.isPending}
              onClick={() => cancel.mutate({ tenantId, id: rollout.id }, { onSuccess: () => setOpen(false) })}
            >
              Cancel rollout
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    </>
  );
}
