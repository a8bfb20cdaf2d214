import { useQuery } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { alertMetricsQuery } from '@/api/alerts';
import { createSiteRule, type Sector } from '@/api/sites';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useApiMutation } from '@/lib/mutation';
import { ChannelPicker } from '../alerts/channel-picker';
import { newRuleForm, type RuleForm, ruleBody } from '../alerts/rule-draft';
import { AdvancedFields, ConditionFields } from '../alerts/rule-fields';

// A site alert rule: the alerts feature's condition and advanced fields, with the scope fixed to this site or one
// of its sectors (the alerts page's scope picker would offer the whole organisation).

const SITE = 'site';

export function SiteRuleDialog(props: { tenantId: string; siteId: string; sectors: Sector[]; onClose: () => void }) {
  const [form, setForm] = useState<RuleForm>(() => ({
    ...newRuleForm(),
    metric: 'site_offline_pct',
    threshold: '50',
    duration_polls: '1',
    scope: { kind: 'site', id: props.siteId },
  }));
  const metrics = useQuery(alertMetricsQuery(props.tenantId));
  const create = useApiMutation(createSiteRule, { success: (r) => `Rule ${r.name} created`, silentErrors: true });
  const err = create.error;
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const perInterface = metrics.data?.find((x) => x.metric === form.metric)?.per_interface ?? false;
  const scopes = [
    { value: SITE, label: 'The whole site' },
    ...props.sectors.map((s) => ({ value: s.id, label: `Sector ${s.name}` })),
  ];
  const other = err && !err.fieldErrors.length ? err.detail : undefined;

  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title="New site alert rule"
        description="Watches the site (or one sector) as a whole: offline devices, average signal, dropped clients."
        className="top-[6vh] max-h-[88vh] max-w-2xl overflow-y-auto"
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(
              { tenantId: props.tenantId, siteId: props.siteId, body: ruleBody(form, perInterface) },
              { onSuccess: props.onClose },
            );
          }}
        >
          <Field id="rule-name" label="Name" error={err?.field('name')}>
            <Input
              id="rule-name"
              autoFocus
              value={form.name}
              placeholder="Half the site offline"
              onChange={(e) => set('name', e.target.value)}
            />
          </Field>
          <Field id="rule-scope" label="Applies to" error={err?.field('scope.id') ?? err?.field('scope')}>
            <Select
              id="rule-scope"
              value={form.scope.kind === 'sector' && form.scope.id ? form.scope.id : SITE}
              options={scopes}
              onValueChange={(v) =>
                set('scope', v === SITE ? { kind: 'site', id: props.siteId } : { kind: 'sector', id: v })
              }
            />
          </Field>
          <ConditionFields form={form} set={set} metrics={metrics.data ?? []} err={err} />
          <ChannelPicker
            tenantId={props.tenantId}
            value={form.channel_ids}
            onChange={(ids) => set('channel_ids', ids)}
            error={err?.field('channel_ids')}
          />
          <AdvancedFields form={form} set={set} err={err} />
          {other ? (
            <p role="alert" className="text-[13px] text-destructive">
              {other}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={create.isPending}>
              {create.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Create rule
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
