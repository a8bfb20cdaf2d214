import { useQuery } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { type AlertRule, alertMetricsQuery, createRule, updateRule } from '@/api/alerts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import { ChannelPicker } from './channel-picker';
import { newRuleForm, previewBody, type RuleForm, ruleBody, ruleForm } from './rule-draft';
import { AdvancedFields, ConditionFields } from './rule-fields';
import { RulePreview } from './rule-preview';
import { ScopePicker } from './scope-picker';

/** Where a server error lands when it names no field of the form. */
const codeField: Record<string, string> = { scope_not_found: 'scope', channel_not_found: 'channels' };

/** Fields with a place of their own in the form (paths as the server names them). */
const placed = new Set([
  'name',
  'metric',
  'operator',
  'threshold',
  'duration_polls',
  'duration_seconds',
  'clear_polls',
  'severity',
  'interface',
  'scope',
  'scope.id',
  'scope.kind',
  'channel_ids',
  'flap_transitions',
  'flap_window_seconds',
  'link_speed_bps',
]);

/** New rule (no `rule`) or edit one; the preview beside the form follows every change. */
export function RuleDialog(props: { tenantId: string; rule?: AlertRule; onClose: () => void }) {
  const [form, setForm] = useState<RuleForm>(() => (props.rule ? ruleForm(props.rule) : newRuleForm()));
  const metrics = useQuery(alertMetricsQuery(props.tenantId));
  const create = useApiMutation(createRule, { success: (r) => `Rule ${r.name} created`, silentErrors: true });
  const update = useApiMutation(updateRule, { success: (r) => `Rule ${r.name} saved`, silentErrors: true });
  const m = props.rule ? update : create;
  const err = m.error;
  const perInterface = metrics.data?.find((x) => x.metric === form.metric)?.per_interface ?? false;
  const unit = metrics.data?.find((x) => x.metric === form.metric)?.unit ?? null;
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const onCode = (where: string) => (err && codeField[err.code] === where ? err.detail : undefined);
  // Anything the form cannot show beside a field is said below it.
  const stray = (err?.fieldErrors ?? []).filter((x) => !placed.has(x.path.replace(/^body\./, '')));
  const unplaced =
    err && !err.fieldErrors.length && !codeField[err.code]
      ? err.detail
      : stray.map((x) => `${x.path.replace(/^body\./, '')}: ${x.message}`).join('; ');

  const submit = () => {
    const body = ruleBody(form, perInterface);
    if (props.rule) update.mutate({ tenantId: props.tenantId, id: props.rule.id, body }, { onSuccess: props.onClose });
    else create.mutate({ tenantId: props.tenantId, body }, { onSuccess: props.onClose });
  };

  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={props.rule ? `Edit ${props.rule.name}` : 'New alert rule'}
        description="A rule watches one metric on the devices it applies to and raises an alert per device (or interface) that breaches it."
        className="top-[6vh] max-h-[88vh] max-w-4xl overflow-y-auto"
      >
        <form
          noValidate
          className="grid gap-5 lg:grid-cols-[minmax(0,1fr)_260px]"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <div className="grid content-start gap-4">
            <Field id="rule-name" label="Name" error={err?.field('name')}>
              <Input
                id="rule-name"
                autoFocus
                value={form.name}
                placeholder="CPU high"
                onChange={(e) => set('name', e.target.value)}
              />
            </Field>
            <ConditionFields form={form} set={set} metrics={metrics.data ?? []} err={err} />
            <ScopePicker
              tenantId={props.tenantId}
              value={form.scope}
              onChange={(s) => set('scope', s)}
              error={err?.field('scope.id') ?? err?.field('scope') ?? onCode('scope')}
            />
            <ChannelPicker
              tenantId={props.tenantId}
              value={form.channel_ids}
              onChange={(ids) => set('channel_ids', ids)}
              error={err?.field('channel_ids') ?? onCode('channels')}
            />
            <AdvancedFields form={form} set={set} err={err} />
            <label className="flex items-center gap-2 text-[13px]">
              <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
              Enabled
            </label>
          </div>
          <div className="rounded-md border bg-surface/50 p-3 lg:self-start">
            <RulePreview
              tenantId={props.tenantId}
              draft={previewBody(form, perInterface)}
              unit={unit}
              ruleId={props.rule?.id}
            />
          </div>
          {unplaced ? (
            <p role="alert" className="text-[13px] text-destructive lg:col-span-2">
              {unplaced}
            </p>
          ) : null}
          <DialogFooter className="lg:col-span-2">
            <Button onClick={props.onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={m.isPending}>
              {m.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {props.rule ? 'Save rule' : 'Create rule'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
