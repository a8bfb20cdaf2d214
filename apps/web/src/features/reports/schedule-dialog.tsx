import { Loader2 } from 'lucide-react';
import { memo, useCallback, useEffect, useState } from 'react';
import {
  createSchedule,
  type ReportFormat,
  type ReportKind,
  type ReportSchedule,
  reportFormats,
  reportKinds,
  type SchedulePeriod,
  schedulePeriods,
  updateSchedule,
} from '@/api/reports';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { timeZones } from '../maintenance/zoned';
import { initialForm, type ScheduleForm, scheduleBody } from './schedule-form';
import { type Scope, ScopeFields } from './scope-fields';
import { defaultName, fieldError, kindLabel, periodLabel, periodSpan, recipientList } from './words';

const kindOptions = reportKinds.map((k) => [k, kindLabel[k]] as const);
const formatOptions = reportFormats.map((f) => [f, f.toUpperCase()] as const);
const periodOptions = schedulePeriods.map((p) => [p, periodLabel[p]] as const);
/** Fields the server names in its errors; anything else shows under the form. */
const FIELDS = [
  'name',
  'kind',
  'format',
  'cron',
  'timezone',
  'recipients',
  'params.period',
  'params.device_id',
  'params.site_id',
  'params.target_pct',
];

let zoneOptions: { value: string; label: string }[] | undefined;
/** Some 400 zones: rendered again only when the zone changes. */
const ZoneSelect = memo(function ZoneSelect(props: { value: string; onChange: (v: string) => void }) {
  zoneOptions ??= timeZones().map((z) => ({ value: z, label: z }));
  return <Select id="schedule-timezone" value={props.value} onValueChange={props.onChange} options={zoneOptions} />;
});

/** Create (schedule null) or edit a report schedule: what, when (cron in a zone), for whom. */
export function ScheduleDialog(props: {
  tenantId: string;
  open: boolean;
  schedule: ReportSchedule | null;
  onOpenChange: (o: boolean) => void;
}) {
  const s = props.schedule;
  const [form, setForm] = useState(() => initialForm(s));
  const scheduleId = s?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the schedule is read when its id or `open` changes
  useEffect(() => {
    if (props.open) setForm(initialForm(s));
  }, [props.open, scheduleId]);
  const create = useApiMutation(createSchedule, { success: (x) => `${x.name} scheduled`, silentErrors: true });
  const update = useApiMutation(updateSchedule, { success: (x) => `${x.name} saved`, silentErrors: true });
  const save = s ? update : create;
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) save.reset();
  };
  const set = useCallback(
    <K extends keyof ScheduleForm>(k: K, v: ScheduleForm[K]) => setForm((f) => ({ ...f, [k]: v })),
    [],
  );
  const setZone = useCallback((v: string) => set('timezone', v), [set]);
  const setScope = useCallback((v: Scope) => set('scope', v), [set]);
  const err = save.error;
  const error = (name: string) => fieldError(err, name);
  const general = err && !FIELDS.some((k) => error(k)) ? err.detail : '';
  // An address the server refused is named by its place in the list: say which one.
  const badRecipient = err?.fieldErrors.find((e) => /^body\.recipients\.\d+$/.test(e.path));
  const recipientError = badRecipient
    ? `${recipientList(form.recipients)[Number(badRecipient.path.split('.')[2])] ?? ''}: ${badRecipient.message}`
    : error('recipients');

  return (
    <Dialog open={props.open} onOpenChange={close}>
      <DialogContent
        title={s ? `Edit ${s.name}` : 'New schedule'}
        description="After each run, the report is emailed to its recipients and kept in the list."
        className="top-[6vh] max-h-[88vh] max-w-xl overflow-y-auto"
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            const body = scheduleBody(form);
            const done = { onSuccess: () => close(false) };
            if (s) update.mutate({ tenantId: props.tenantId, id: s.id, body }, done);
            else create.mutate({ tenantId: props.tenantId, body }, done);
          }}
        >
          <Field id="schedule-name" label="Name" error={error('name')}>
            <Input
              id="schedule-name"
              autoFocus
              value={form.name}
              placeholder={defaultName(form.period, form.kind)}
              onChange={(e) => set('name', e.target.value)}
            />
          </Field>
          <div className="grid gap-2">
            <span className="text-[13px] font-medium">Kind</span>
            <Segmented<ReportKind>
              label="Kind"
              value={form.kind}
              options={kindOptions}
              onChange={(v) => set('kind', v)}
            />
          </div>
          <ScopeFields
            idPrefix="schedule"
            tenantId={props.tenantId}
            kind={form.kind}
            value={form.scope}
            onChange={setScope}
            error={(name) => error(`params.${name}`)}
          />
          <div className="grid gap-3 sm:grid-cols-2">
            <Field
              id="schedule-cron"
              label="Cron"
              hint="minute hour day month weekday: 0 7 * * 1 is Mondays at 07:00."
              error={error('cron')}
            >
              <Input
                id="schedule-cron"
                className="font-mono"
                spellCheck={false}
                value={form.cron}
                aria-invalid={error('cron') ? true : undefined}
                onChange={(e) => set('cron', e.target.value)}
              />
            </Field>
            <Field id="schedule-timezone" label="Time zone" error={error('timezone')}>
              <ZoneSelect value={form.timezone} onChange={setZone} />
            </Field>
          </div>
          <div className="grid gap-2">
            <span className="text-[13px] font-medium">Period</span>
            <Segmented<SchedulePeriod>
              label="Period"
              value={form.period}
              options={periodOptions}
              onChange={(v) => set('period', v)}
            />
            <p className="text-xs text-muted-foreground">Each run covers {periodSpan[form.period]}.</p>
          </div>
          <Field
            id="schedule-recipients"
            label="Recipients"
            hint="Email addresses, separated by commas or lines (at most 20)."
            error={recipientError}
          >
            <textarea
              id="schedule-recipients"
              rows={3}
              value={form.recipients}
              spellCheck={false}
              placeholder="noc@example.com"
              aria-invalid={recipientError ? true : undefined}
              onChange={(e) => set('recipients', e.target.value)}
              className="w-full rounded-md border border-input bg-background p-2.5 text-[13px] shadow-xs focus-visible:border-ring focus-visible:outline-none focus-visible:ring-3 focus-visible:ring-ring/25 aria-invalid:border-destructive"
            />
          </Field>
          <div className="flex flex-wrap items-center justify-between gap-3">
            <div className="grid gap-2">
              <span className="text-[13px] font-medium">Format</span>
              <Segmented<ReportFormat>
                label="Format"
                value={form.format}
                options={formatOptions}
                onChange={(v) => set('format', v)}
              />
            </div>
            <label className="flex items-center gap-2 text-[13px]">
              <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
              Enabled
            </label>
          </div>
          {general ? (
            <p role="alert" className="text-xs text-destructive">
              {general}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={() => close(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={save.isPending}>
              {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {s ? 'Save' : 'Create schedule'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
