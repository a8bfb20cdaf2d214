import { Loader2 } from 'lucide-react';
import { useCallback, useEffect, useState } from 'react';
import { createReport, type ReportFormat, type ReportKind, reportFormats, reportKinds } from '@/api/reports';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { initialForm, type ReportForm, reportBody } from './report-form';
import { type Scope, ScopeFields } from './scope-fields';
import { fieldError, kindHint, kindLabel } from './words';

const kindOptions = reportKinds.map((k) => [k, kindLabel[k]] as const);
const formatOptions = reportFormats.map((f) => [f, f.toUpperCase()] as const);
/** Fields the server names in its errors; anything else shows under the form. */
const FIELDS = ['kind', 'format', 'from', 'to', 'device_id', 'site_id', 'target_pct'];

/** Asks for one report; it renders in the background and the list follows it until it can be downloaded. */
export function ReportDialog(props: { tenantId: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [form, setForm] = useState(() => initialForm());
  useEffect(() => {
    if (props.open) setForm(initialForm());
  }, [props.open]);
  const create = useApiMutation(createReport, {
    success: (_r, v) => `${kindLabel[v.body.kind]} report queued`,
    silentErrors: true,
  });
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) create.reset();
  };
  const set = useCallback(
    <K extends keyof ReportForm>(k: K, v: ReportForm[K]) => setForm((f) => ({ ...f, [k]: v })),
    [],
  );
  const setScope = useCallback((s: Scope) => set('scope', s), [set]);
  const err = create.error;
  const error = (name: string) => fieldError(err, name);
  const general = err && !FIELDS.some((k) => error(k)) ? err.detail : '';

  return (
    <Dialog open={props.open} onOpenChange={close}>
      <DialogContent
        title="New report"
        description="Rendered in the background: it shows in the list, ready to download in a few seconds."
        className="top-[6vh] max-h-[88vh] max-w-xl overflow-y-auto"
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate({ tenantId: props.tenantId, body: reportBody(form) }, { onSuccess: () => close(false) });
          }}
        >
          <div className="grid gap-2">
            <span className="text-[13px] font-medium">Kind</span>
            <Segmented<ReportKind>
              label="Kind"
              value={form.kind}
              options={kindOptions}
              onChange={(v) => set('kind', v)}
            />
            <p className="text-xs text-muted-foreground">{kindHint[form.kind]}</p>
            {error('kind') ? (
              <p role="alert" className="text-xs text-destructive">
                {error('kind')}
              </p>
            ) : null}
          </div>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id="report-from" label="From" error={error('from')}>
              <Input
                id="report-from"
                type="date"
                value={form.from}
                aria-invalid={error('from') ? true : undefined}
                onChange={(e) => set('from', e.target.value)}
              />
            </Field>
            <Field id="report-to" label="To" hint="Whole days, up to now." error={error('to')}>
              <Input
                id="report-to"
                type="date"
                value={form.to}
                aria-invalid={error('to') ? true : undefined}
                onChange={(e) => set('to', e.target.value)}
              />
            </Field>
          </div>
          <ScopeFields
            idPrefix="report"
            tenantId={props.tenantId}
            kind={form.kind}
            value={form.scope}
            onChange={setScope}
            error={error}
          />
          <div className="grid gap-2">
            <span className="text-[13px] font-medium">Format</span>
            <Segmented<ReportFormat>
              label="Format"
              value={form.format}
              options={formatOptions}
              onChange={(v) => set('format', v)}
            />
          </div>
          {general ? (
            <p role="alert" className="text-xs text-destructive">
              {general}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={() => close(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Create report
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
