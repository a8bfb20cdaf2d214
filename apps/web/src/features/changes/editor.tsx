import { useQuery } from '@tanstack/react-query';
import { ListChecks, Loader2, Play, Trash2, X } from 'lucide-react';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import { applyChanges, type Change, type DryRun, isFinal, operationQuery, reviewChanges } from '@/api/changes';
import { ApiError } from '@/api/errors';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { useApiMutation } from '@/lib/mutation';
import { applyOptions, defaultChoice, type ModeChoice, ModePicker, RiskList } from './apply-options';
import { addEdit, clearErrors, type Edit, withOperationError, withReviewError } from './change-set';
import { CommandList, DeviceOperation } from './operation-panel';
import { markStarted } from './started';

// The editor around a device tab's menus: the change set the rows add to, Review (a dry run: the exact commands and
// their risks), Apply in the chosen mode, and the operation that follows. Edits stay in the set until the operation
// is confirmed; a revert or failure puts the router's refusal on the edit (and field) it concerns.

type Editor = {
  tenantId: string;
  deviceId: string;
  /** Whether this person may change the device (`changes.apply`); viewers get no write buttons. */
  canChange: boolean;
  edits: Edit[];
  add: (change: Change, text: string) => void;
  /** An operation of this set is running: the rows take no new edits until it ends. */
  busy: boolean;
};

const EditorContext = createContext<Editor | null>(null);

export function useEditor(): Editor {
  const e = useContext(EditorContext);
  if (!e) throw new Error('useEditor outside an EditorProvider');
  return e;
}

export function EditorProvider(props: { tenantId: string; deviceId: string; children: ReactNode }) {
  const { tenantId, deviceId } = props;
  const canChange = useCan('changes.apply');
  const [edits, setEdits] = useState<Edit[]>([]);
  const [applied, setApplied] = useState<string | null>(null);
  const [reviewing, setReviewing] = useState(false);
  const op = useQuery({ ...operationQuery(tenantId, deviceId, applied ?? ''), enabled: applied !== null });

  // When the operation of this set ends: confirmed empties the set; otherwise the set stays, annotated.
  useEffect(() => {
    const o = op.data;
    if (!o || !isFinal(o.status)) return;
    if (o.status === 'confirmed') setEdits([]);
    else setEdits((s) => withOperationError(s, o));
    setApplied(null);
  }, [op.data]);

  const value = useMemo<Editor>(
    () => ({
      tenantId,
      deviceId,
      canChange,
      edits,
      busy: applied !== null,
      add: (change, text) => setEdits((s) => addEdit(clearErrors(s), change, text)),
    }),
    [tenantId, deviceId, canChange, edits, applied],
  );

  return (
    <EditorContext.Provider value={value}>
      <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
        <DeviceOperation tenantId={tenantId} deviceId={deviceId} />
        {canChange && edits.length > 0 ? (
          <ChangeSet
            edits={edits}
            busy={applied !== null}
            onRemove={(key) => setEdits((s) => s.filter((e) => e.key !== key))}
            onClear={() => setEdits([])}
            onReview={() => setReviewing(true)}
          />
        ) : null}
        {props.children}
      </div>
      {reviewing ? (
        <ReviewDialog
          tenantId={tenantId}
          deviceId={deviceId}
          edits={edits}
          onClose={() => setReviewing(false)}
          onRefused={(detail) => {
            const annotated = withReviewError(edits, detail);
            if (annotated) setEdits(annotated);
          }}
          onApplied={(id) => {
            markStarted(deviceId, id);
            setApplied(id);
            setReviewing(false);
          }}
        />
      ) : null}
    </EditorContext.Provider>
  );
}

function ChangeSet(props: {
  edits: Edit[];
  busy: boolean;
  onRemove: (key: string) => void;
  onClear: () => void;
  onReview: () => void;
}) {
  const n = props.edits.length;
  return (
    <Card data-change-set={n} aria-label="Change set">
      <header className="flex flex-wrap items-center justify-between gap-3 border-b px-4 py-2.5">
        <h2 className="text-[13px] font-semibold">
          Change set: {n} edit{n === 1 ? '' : 's'}
          {props.busy ? <span className="font-normal text-muted-foreground"> · being applied</span> : null}
        </h2>
        <div className="flex gap-2">
          <Button size="sm" variant="ghost" disabled={props.busy} onClick={props.onClear}>
            <Trash2 aria-hidden /> Discard all
          </Button>
          <Button size="sm" variant="primary" disabled={props.busy} onClick={props.onReview}>
            <ListChecks aria-hidden /> Review
          </Button>
        </div>
      </header>
      <ol className="divide-y text-[13px]">
        {props.edits.map((e) => (
          <li key={e.key} data-edit={e.change.action} className="flex items-start justify-between gap-3 px-4 py-2">
            <div className="grid min-w-0 gap-0.5">
              <span className="break-all font-mono text-xs">{e.text}</span>
              {e.error ? (
                <span className="text-xs text-destructive" role="alert" data-edit-error={e.error.property ?? ''}>
                  {e.error.property ? `${e.error.property}: ` : ''}
                  {e.error.message}
                </span>
              ) : null}
            </div>
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={`Remove from the change set: ${e.text}`}
              disabled={props.busy}
              onClick={() => props.onRemove(e.key)}
            >
              <X aria-hidden />
            </Button>
          </li>
        ))}
      </ol>
    </Card>
  );
}

function ReviewDialog(props: {
  tenantId: string;
  deviceId: string;
  edits: Edit[];
  onClose: () => void;
  onRefused: (detail: string) => void;
  onApplied: (operationId: string) => void;
}) {
  const ref = { tenantId: props.tenantId, deviceId: props.deviceId };
  const changes = props.edits.map((e) => e.change);
  const review = useApiMutation(reviewChanges, { silentErrors: true });
  const apply = useApiMutation(applyChanges);
  const [choice, setChoice] = useState<ModeChoice>(defaultChoice);
  const [plan, setPlan] = useState<DryRun | null>(null);
  const { onRefused } = props;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the dry run runs once, when the dialog opens
  useEffect(() => {
    review.mutate(
      { ...ref, changes },
      {
        onSuccess: setPlan,
        onError: (e) => {
          if (e instanceof ApiError && e.code === 'invalid_change') onRefused(e.detail);
        },
      },
    );
  }, []);

  const opts = applyOptions(choice);
  const dangers = plan?.risks.some((r) => r.severity === 'danger') ?? false;
  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title="Review the changes"
        description="The exact commands TOD will send, keyed by what identifies each item rather than its id."
        className="max-w-2xl"
      >
        {review.isPending ? (
          <p className="flex items-center gap-2 text-[13px] text-muted-foreground" role="status">
            <Loader2 className="size-4 animate-spin" aria-hidden /> Reading the device to plan the commands…
          </p>
        ) : review.error ? (
          <p className="text-[13px] text-destructive" role="alert">
            The changes cannot be applied: {review.error.detail ?? review.error.message}
          </p>
        ) : plan ? (
          <div className="grid max-h-[55vh] gap-3 overflow-y-auto">
            <div>
              <h3 className="text-[13px] font-medium">
                {plan.commands.length} command{plan.commands.length === 1 ? '' : 's'}
              </h3>
              <CommandList
                commands={plan.commands}
                risky={new Set(plan.risks.filter((r) => r.severity === 'danger').map((r) => r.command_index))}
              />
            </div>
            <RiskList risks={plan.risks} />
            <ModePicker id="review" value={choice} onChange={setChoice} />
          </div>
        ) : null}
        <DialogFooter>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button
            variant={dangers ? 'destructive' : 'primary'}
            disabled={!plan || !opts.options || apply.isPending}
            onClick={() =>
              opts.options &&
              apply.mutate({ ...ref, changes, ...opts.options }, { onSuccess: (r) => props.onApplied(r.operation_id) })
            }
          >
            {apply.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
            Apply
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
