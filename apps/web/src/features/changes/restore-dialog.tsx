import { useQuery } from '@tanstack/react-query';
import { History, LifeBuoy, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { emergencyRollback, loadBinaryBackup, previewQuery, type RestorePreview, restoreVersion } from '@/api/changes';
import type { ConfigVersion, SemanticDiff } from '@/api/config-backups';
import { Button } from '@/components/ui/button';
import { Confirm } from '@/components/ui/confirm';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { Semantic } from '../backups/diff-viewer';
import { applyOptions, defaultChoice, type ModeChoice, ModePicker, RiskList } from './apply-options';
import { CommandList } from './operation-panel';
import { markStarted } from './started';

// Restoring a version from the Backups tab: first the impact (what changes, the exact commands, the risks, dangers
// first), then the minimal diff through the engine in the chosen mode; the device's operation panel follows it.
// And the emergency rollback: back to before the last change TOD made, in one confirmed action.

type Ref = { tenantId: string; deviceId: string };

/** The preview's semantic diff has the backups comparison's shape (its schema is open on the server). */
function isSemantic(x: unknown): x is SemanticDiff {
  return typeof x === 'object' && x !== null && 'menus' in x && Array.isArray(x.menus) && 'header' in x;
}

export function RestoreButton(props: Ref & { version: ConfigVersion }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Restore the version created ${dateTime(props.version.created_at)}`}
        onClick={() => setOpen(true)}
      >
        <History aria-hidden /> Restore…
      </Button>
      {open ? <RestoreDialog {...props} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function RestoreDialog(props: Ref & { version: ConfigVersion; onClose: () => void }) {
  const q = useQuery(previewQuery(props.tenantId, props.deviceId, props.version.id));
  const restore = useApiMutation(restoreVersion);
  const [choice, setChoice] = useState<ModeChoice>(defaultChoice);
  const opts = applyOptions(choice);
  const p = q.data;
  const dangers = p?.risks.some((r) => r.severity === 'danger') ?? false;
  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={`Restore the version of ${dateTime(props.version.created_at)}`}
        description="Only what differs from the device's current configuration is changed, item by item; nothing is imported over it."
        className="top-[6vh] max-w-3xl"
      >
        <div className="grid max-h-[62vh] gap-3 overflow-y-auto pr-1" data-restore-preview={p ? p.changes : ''}>
          {q.isPending ? (
            <p className="flex items-center gap-2 text-[13px] text-muted-foreground" role="status">
              <Loader2 className="size-4 animate-spin" aria-hidden /> Comparing with the device's current configuration…
            </p>
          ) : q.error || !p ? (
            <p role="alert" className="text-[13px] text-destructive">
              Could not prepare the restore: {q.error?.message}
            </p>
          ) : p.equal ? (
            <p className="text-[13px]">The device already has this configuration: there is nothing to restore.</p>
          ) : (
            <Preview p={p} />
          )}
          {p && !p.equal ? <ModePicker id="restore" value={choice} onChange={setChoice} /> : null}
          {props.version.binary_size ? <BinaryRestore {...props} /> : null}
        </div>
        <DialogFooter>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button
            variant={dangers ? 'destructive' : 'primary'}
            disabled={!p || p.equal || p.commands.length === 0 || !opts.options || restore.isPending}
            onClick={() =>
              opts.options &&
              restore.mutate(
                { tenantId: props.tenantId, deviceId: props.deviceId, backupId: props.version.id, ...opts.options },
                {
                  onSuccess: (r) => {
                    markStarted(props.deviceId, r.operation_id);
                    props.onClose();
                  },
                },
              )
            }
          >
            {restore.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <History aria-hidden />}
            Restore
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

/** For a router that was reset or replaced: the whole binary backup, confirmed by typing the device's name. */
function BinaryRestore(props: Ref & { version: ConfigVersion; onClose: () => void }) {
  const [name, setName] = useState('');
  const load = useApiMutation(loadBinaryBackup, { silentErrors: true });
  return (
    <details className="rounded-md border px-3 py-2 text-[13px]" data-binary-restore>
      <summary className="cursor-pointer font-medium">Router reset or replaced? Load the binary backup instead</summary>
      <p className="mt-2 text-xs text-muted-foreground">
        The router loads this version's binary backup and reboots into it: every setting, user and certificate is
        replaced at once. No automatic revert can be armed for this, so TOD asks you to type the device's name. It then
        reads the configuration back and says whether it matches.
      </p>
      <div className="mt-2 flex items-end gap-2">
        <Field
          id="binary-restore-name"
          label="Device name"
          className="grow"
          {...(load.error ? { error: load.error.message } : {})}
        >
          <Input id="binary-restore-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </Field>
        <Button
          variant="destructive"
          disabled={name.trim() === '' || load.isPending}
          onClick={() =>
            load.mutate(
              { tenantId: props.tenantId, deviceId: props.deviceId, backupId: props.version.id, deviceName: name },
              {
                onSuccess: (r) => {
                  markStarted(props.deviceId, r.operation_id);
                  props.onClose();
                },
              },
            )
          }
        >
          Load the binary backup
        </Button>
      </div>
    </details>
  );
}

function Preview({ p }: { p: RestorePreview }) {
  const risky = new Set(p.risks.filter((r) => r.severity === 'danger').map((r) => r.command_index));
  return (
    <>
      <p className="text-xs text-muted-foreground">
        Compared with the device's configuration as of {dateTime(p.current_backup_at)}.
      </p>
      <RiskList risks={p.risks} />
      <section className="grid gap-2" aria-label="What changes">
        {isSemantic(p.semantic) ? <Semantic diff={p.semantic} count={p.changes} /> : null}
      </section>
      <section aria-label="Exact commands">
        <h3 className="text-[13px] font-medium">
          {p.commands.length} command{p.commands.length === 1 ? '' : 's'} TOD will send
        </h3>
        <CommandList commands={p.commands} risky={risky} />
      </section>
      {p.unsupported.length > 0 ? (
        <section className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-xs">
          <h3 className="font-medium">Left as they are ({p.unsupported.length})</h3>
          <p className="text-muted-foreground">These differences cannot be expressed as safe commands:</p>
          <ul className="mt-1 grid gap-0.5 font-mono">
            {p.unsupported.map((u) => (
              <li key={u}>{u}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

export function EmergencyRollback(props: Ref) {
  const [open, setOpen] = useState(false);
  const run = useApiMutation(emergencyRollback, { success: () => 'Rolling back: follow it below' });
  return (
    <>
      <Button variant="destructive" onClick={() => setOpen(true)}>
        <LifeBuoy aria-hidden /> Emergency rollback
      </Button>
      <Confirm
        open={open}
        onOpenChange={setOpen}
        title="Roll back the last change?"
        description="TOD puts back the configuration from before the last change it made to this device, with an automatic revert armed on the router in case the rollback itself cuts TOD off."
        confirm="Roll back now"
        busy={run.isPending}
        onConfirm={() =>
          run.mutate(props, {
            onSuccess: (r) => {
              markStarted(props.deviceId, r.operation_id);
              setOpen(false);
            },
            onError: () => setOpen(false),
          })
        }
      />
    </>
  );
}
