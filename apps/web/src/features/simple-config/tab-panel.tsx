import { useQuery } from '@tanstack/react-query';
import { RefreshCw, Undo2 } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { isFinal, operationQuery } from '@/api/changes';
import type { ApiError } from '@/api/errors';
import { applyTab, previewTab, type TabDryRun, type TabView, tabQuery } from '@/api/simple-config';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { useApiMutation } from '@/lib/mutation';
import { applyOptions, defaultChoice, type ModeChoice } from '../changes/apply-options';
import { DeviceOperation } from '../changes/operation-panel';
import { markStarted } from '../changes/started';
import { ApplyBar } from './apply-bar';
import { type FieldError, formErrors, operationErrors, pathWords, unplaced } from './errors';
import { ErrorsProvider } from './kit';
import { ManyDialog } from './many-dialog';
import { Preview } from './preview';
import type { TabDef } from './tab-def';

// One Simple Config form around its editor: read from the device, edited as a draft, previewed (a dry run: the
// exact commands and risks), applied as one safe-change operation followed to its end (Keep/Revert in test mode),
// or applied to many devices as a rollout. The server's refusals land on the fields they name.

type Ref = { tenantId: string; deviceId: string };

export function TabPanel(props: Ref & { def: TabDef<unknown> }) {
  const q = useQuery(tabQuery(props.tenantId, props.deviceId, props.def.tab));
  if (q.isPending)
    return (
      <Card className="grid gap-3 p-4" aria-busy="true">
        <p role="status" className="text-[13px] text-muted-foreground">
          Reading {props.def.label} from the router…
        </p>
        <Skeleton className="h-8 w-72" />
        <Skeleton className="h-8 w-96" />
        <Skeleton className="h-8 w-64" />
      </Card>
    );
  if (q.error || !q.data)
    return (
      <Card className="grid gap-3 p-4">
        <p role="alert" className="text-[13px] text-destructive">
          Could not read {props.def.label} from the router: {q.error?.message}
        </p>
        <div>
          <Button onClick={() => void q.refetch()}>
            <RefreshCw aria-hidden /> Try again
          </Button>
        </div>
      </Card>
    );
  return (
    <Loaded
      key={props.def.tab}
      {...props}
      view={q.data}
      fetching={q.isFetching}
      refetch={async () => {
        await q.refetch();
      }}
    />
  );
}

function Loaded(props: Ref & { def: TabDef<unknown>; view: TabView; fetching: boolean; refetch: () => Promise<void> }) {
  const { tenantId, deviceId, def, view, refetch } = props;
  // null: the form as the device has it (follows each read); a value once the person edits.
  const [edited, setEdited] = useState<unknown>(null);
  const fresh = useMemo(() => def.fromView(view), [def, view]);
  const value = edited ?? fresh;
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [plan, setPlan] = useState<TabDryRun | null>(null);
  const [choice, setChoice] = useState<ModeChoice>(defaultChoice);
  const [applied, setApplied] = useState<string | null>(null);
  const [many, setMany] = useState(false);
  const op = useQuery({ ...operationQuery(tenantId, deviceId, applied ?? ''), enabled: applied !== null });
  const preview = useApiMutation(previewTab, { silentErrors: true });
  const apply = useApiMutation(applyTab, { silentErrors: true });

  // The operation of this form ended: confirmed shows the device as it is now; otherwise the draft stays, and a
  // form the device could not take has its field marked.
  useEffect(() => {
    const o = op.data;
    if (!o || !isFinal(o.status)) return;
    setApplied(null);
    if (o.status === 'confirmed') void refetch().then(() => setEdited(null));
    else setErrors(operationErrors(o));
  }, [op.data, refetch]);

  const canApply = view.policies.apply;
  const busy = applied !== null;
  const body = def.toBody(value, view);
  const ref = { tenantId, deviceId, tab: def.tab, form: body };
  const refused = (e: ApiError) => {
    const f = formErrors(e);
    setErrors(f);
    setProblem(f.length > 0 ? null : e.detail);
  };
  const start = () => {
    setErrors([]);
    setProblem(null);
  };
  const change = (d: unknown) => {
    setEdited(d);
    setPlan(null);
  };
  const at = (path: string) => errors.find((e) => e.path === path)?.message;
  const elsewhere = unplaced(errors, def.shown);
  const unusable = def.unusable?.(view) ?? null;
  const Editor = def.Editor;

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4">
      <DeviceOperation tenantId={tenantId} deviceId={deviceId} />
      <Card data-simple-form={def.tab} aria-label={`${def.label} settings`}>
        <header className="flex flex-wrap items-start justify-between gap-3 border-b px-4 py-3">
          <div className="grid gap-0.5">
            <h2 className="flex flex-wrap items-center gap-2 text-[13px] font-semibold">
              {def.label}
              {edited !== null ? (
                <Badge tone="info" data-dirty>
                  edited
                </Badge>
              ) : null}
            </h2>
            <p className="text-xs text-muted-foreground">
              {def.description} RouterOS {view.version}.
            </p>
          </div>
          <div className="flex gap-2">
            {edited !== null ? (
              <Button
                size="sm"
                variant="ghost"
                disabled={busy}
                onClick={() => {
                  setEdited(null);
                  setPlan(null);
                  start();
                }}
              >
                <Undo2 aria-hidden /> Discard edits
              </Button>
            ) : null}
            <Button size="sm" variant="ghost" disabled={props.fetching || busy} onClick={() => void refetch()}>
              <RefreshCw aria-hidden className={props.fetching ? 'animate-spin' : undefined} /> Read again
            </Button>
          </div>
        </header>
        {unusable ? (
          <p className="px-4 py-6 text-[13px] text-muted-foreground">{unusable}</p>
        ) : (
          <>
            <div className="grid gap-4 px-4 py-4">
              {problem || elsewhere.length > 0 ? (
                <div
                  role="alert"
                  className="grid gap-1 rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-[13px]"
                  data-form-problem
                >
                  {problem ? <p className="text-destructive">{problem}</p> : null}
                  {elsewhere.map((e) => (
                    <p key={`${e.path} ${e.message}`} className="text-destructive">
                      {pathWords(e.path)}: {e.message}
                    </p>
                  ))}
                </div>
              ) : errors.length > 0 ? (
                <p role="alert" className="text-[13px] text-destructive" data-form-problem>
                  Check the fields marked below.
                </p>
              ) : null}
              {!canApply ? (
                <p className="text-xs text-muted-foreground">Your role can read these settings but not change them.</p>
              ) : null}
              <ErrorsProvider value={at}>
                <fieldset disabled={!canApply || busy} className="min-w-0">
                  <legend className="sr-only">{def.label} settings</legend>
                  <Editor value={value} onChange={change} view={view} />
                </fieldset>
              </ErrorsProvider>
              {plan ? <Preview plan={plan} /> : null}
            </div>
            {canApply ? (
              <ApplyBar
                choice={choice}
                onChoice={setChoice}
                disabled={busy}
                previewing={preview.isPending}
                applying={apply.isPending}
                dangerous={plan?.risks.some((r) => r.severity === 'danger') ?? false}
                onMany={() => setMany(true)}
                onPreview={() => {
                  start();
                  preview.mutate(ref, { onSuccess: setPlan, onError: refused });
                }}
                onApply={() => {
                  const o = applyOptions(choice).options;
                  if (!o) return;
                  start();
                  apply.mutate(
                    { ...ref, ...o },
                    {
                      onSuccess: (r) => {
                        markStarted(deviceId, r.operation_id);
                        setApplied(r.operation_id);
                        setPlan(null);
                      },
                      onError: refused,
                    },
                  );
                }}
              />
            ) : null}
          </>
        )}
      </Card>
      {many ? (
        <ManyDialog
          tenantId={tenantId}
          deviceId={deviceId}
          tab={def.tab}
          label={def.label}
          form={body}
          onFormErrors={setErrors}
          onClose={() => setMany(false)}
        />
      ) : null}
    </div>
  );
}
