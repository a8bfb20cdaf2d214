import { Loader2 } from 'lucide-react';
import { memo, useCallback, useEffect, useState } from 'react';
import { createWindow, type MaintenanceWindow, updateWindow } from '@/api/maintenance-windows';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { cn } from '@/lib/cn';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { ScopePicker } from './scope-picker';
import { initialForm, type Repeat, type WindowForm, weekdayOfInput, windowBody } from './window-form';
import { weekdays } from './words';
import { timeZones } from './zoned';

const repeats: readonly (readonly [Repeat, string])[] = [
  ['none', 'Once'],
  ['daily', 'Daily'],
  ['weekly', 'Weekly'],
];
let zoneOptions: { value: string; label: string }[] | undefined;

/** The time zones, some 400 of them: rendered again only when the zone changes, not on every key typed elsewhere. */
const ZoneSelect = memo(function ZoneSelect(props: { value: string; onChange: (v: string) => void }) {
  zoneOptions ??= timeZones().map((z) => ({ value: z, label: z }));
  return <Select id="window-timezone" value={props.value} onValueChange={props.onChange} options={zoneOptions} />;
});

/** Fields the server names in its errors; anything else shows under the form. */
const FIELDS = ['name', 'starts_at', 'ends_at', 'timezone'];

/** Create (window null) or edit a maintenance window: when, in which time zone, how it repeats, what it covers. */
export function WindowDialog(props: {
  tenantId: string;
  open: boolean;
  window: MaintenanceWindow | null;
  onOpenChange: (o: boolean) => void;
}) {
  const w = props.window;
  const [form, setForm] = useState(() => initialForm(w));
  const [problem, setProblem] = useState<{ problem: string; field: string } | null>(null);
  const windowId = w?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the window is read when its id or `open` changes
  useEffect(() => {
    if (props.open) {
      setForm(initialForm(w));
      setProblem(null);
    }
  }, [props.open, windowId]);
  const create = useApiMutation(createWindow, { success: (x) => `${x.name} created`, silentErrors: true });
  const update = useApiMutation(updateWindow, { success: (x) => `${x.name} saved`, silentErrors: true });
  const save = w ? update : create;
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) save.reset();
  };
  const set = useCallback(<K extends keyof WindowForm>(k: K, v: WindowForm[K]) => {
    setProblem(null);
    setForm((f) => ({ ...f, [k]: v }));
  }, []);
  const setZone = useCallback((v: string) => set('timezone', v), [set]);
  const submit = () => {
    const r = windowBody(form);
    if ('problem' in r) return setProblem(r);
    const done = { onSuccess: () => close(false) };
    if (w) update.mutate({ tenantId: props.tenantId, id: w.id, body: r.body }, done);
    else create.mutate({ tenantId: props.tenantId, body: r.body }, done);
  };
  const err = save.error;
  const fieldError = (k: string) => (problem?.field === k ? problem.problem : err?.field(k));
  const general =
    err && !FIELDS.some((k) => err.field(k))
      ? err.detail
      : problem && !FIELDS.includes(problem.field)
        ? problem.problem
        : '';

  return (
    <Dialog open={props.open} onOpenChange={close}>
      <DialogContent
        title={w ? `Edit ${w.name}` : 'New maintenance window'}
        description="While a window is open, alerts of the devices it covers are recorded but not sent."
        className="top-[6vh] max-h-[88vh] max-w-xl overflow-y-auto"
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Field id="window-name" label="Name" error={fieldError('name')}>
            <Input
              id="window-name"
              autoFocus
              value={form.name}
              placeholder="e.g. Core router upgrades"
              onChange={(e) => set('name', e.target.value)}
            />
          </Field>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field id="window-start" label="Starts" error={fieldError('starts_at')}>
              <Input
                id="window-start"
                type="datetime-local"
                value={form.start}
                onChange={(e) => set('start', e.target.value)}
              />
            </Field>
            <Field id="window-end" label="Ends" error={fieldError('ends_at')}>
              <Input
                id="window-end"
                type="datetime-local"
                value={form.end}
                onChange={(e) => set('end', e.target.value)}
              />
            </Field>
          </div>
          <Field
            id="window-timezone"
            label="Time zone"
            hint="Start and end are on this clock; a repeating window keeps its local time across clock changes."
            error={fieldError('timezone')}
          >
            <ZoneSelect value={form.timezone} onChange={setZone} />
          </Field>

          <div className="grid gap-2">
            <span className="text-[13px] font-medium">Repeat</span>
            <Segmented
              label="Repeat"
              value={form.repeat}
              options={repeats}
              onChange={(v) => {
                const day = weekdayOfInput(form.start);
                set('repeat', v);
                if (v === 'weekly' && form.byDay.length === 0 && day) set('byDay', [day]);
              }}
            />
            {form.repeat === 'weekly' ? (
              <fieldset className="flex flex-wrap gap-1">
                <legend className="sr-only">Weekdays</legend>
                {weekdays.map(([d, short, long]) => {
                  const on = form.byDay.includes(d);
                  return (
                    <button
                      key={d}
                      type="button"
                      aria-pressed={on}
                      title={long}
                      onClick={() => set('byDay', on ? form.byDay.filter((x) => x !== d) : [...form.byDay, d])}
                      className={cn(
                        'h-7 w-11 rounded-md border text-xs font-medium text-muted-foreground hover:text-foreground',
                        on && 'border-primary bg-primary text-primary-foreground hover:text-primary-foreground',
                      )}
                    >
                      {short}
                    </button>
                  );
                })}
              </fieldset>
            ) : null}
            {problem?.field === 'by_day' ? (
              <p role="alert" className="text-xs text-destructive">
                {problem.problem}
              </p>
            ) : null}
            {form.repeat !== 'none' ? (
              <Field id="window-until" label="Until" hint="Last day an occurrence may start; empty: no end.">
                <Input
                  id="window-until"
                  type="date"
                  className="w-44"
                  value={form.until}
                  onChange={(e) => set('until', e.target.value)}
                />
              </Field>
            ) : null}
          </div>

          <div className="grid gap-2">
            <span className="text-[13px] font-medium">Covers</span>
            <Segmented
              label="Covers"
              value={form.wholeOrganisation ? 'all' : 'some'}
              options={[
                ['all', 'Whole organisation'],
                ['some', 'Chosen devices, groups or sites'],
              ]}
              onChange={(v) => set('wholeOrganisation', v === 'all')}
            />
            {form.wholeOrganisation ? null : (
              <ScopePicker tenantId={props.tenantId} value={form.scopes} onChange={(s) => set('scopes', s)} />
            )}
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
              {w ? 'Save' : 'Create window'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
