import type { AlertMetric, MetricName, Operator, Severity } from '@/api/alerts';
import type { ApiError } from '@/api/errors';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { RuleForm } from './rule-draft';
import { formatValue, severities, severityLabel } from './words';

type Props = {
  form: RuleForm;
  set: <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => void;
  metrics: AlertMetric[];
  err: ApiError | null;
};

const operatorWords: Record<Operator, string> = {
  '>': '> above',
  '>=': '≥ at or above',
  '<': '< below',
  '<=': '≤ at or below',
  '==': '= equal to',
  '!=': '≠ not equal to',
};

const invalid = (e: string | undefined) => (e ? { 'aria-invalid': true as const } : {});

/** What the rule watches and when it fires: metric, condition, how long, severity, interface. */
export function ConditionFields({ form, set, metrics, err }: Props) {
  const metric = metrics.find((m) => m.metric === form.metric);
  const threshold = Number(form.threshold);
  const e = (k: string) => err?.field(k);
  // Site metrics (over a whole site or sector) only make sense with a site or sector scope.
  const overSite = form.scope.kind === 'site' || form.scope.kind === 'sector';
  const offered = metrics.filter((m) => m.scope === 'device' || overSite || m.metric === form.metric);
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-[1fr_150px_130px]">
        <Field id="rule-metric" label="Metric" error={e('metric')}>
          <Select
            id="rule-metric"
            value={form.metric}
            onValueChange={(v) => set('metric', v as MetricName)}
            options={offered.map((m) => ({ value: m.metric, label: m.unit ? `${m.label} (${m.unit})` : m.label }))}
          />
        </Field>
        <Field id="rule-operator" label="Fires when" error={e('operator')}>
          <Select
            id="rule-operator"
            value={form.operator}
            onValueChange={(v) => set('operator', v as Operator)}
            options={(Object.keys(operatorWords) as Operator[]).map((o) => ({ value: o, label: operatorWords[o] }))}
          />
        </Field>
        <Field
          id="rule-threshold"
          label={metric?.unit ? `Threshold (${metric.unit})` : 'Threshold'}
          hint={metric?.unit === 'bps' && Number.isFinite(threshold) ? formatValue(threshold, 'bps') : undefined}
          error={e('threshold')}
        >
          <Input
            id="rule-threshold"
            inputMode="decimal"
            value={form.threshold}
            onChange={(x) => set('threshold', x.target.value)}
            {...invalid(e('threshold'))}
          />
        </Field>
      </div>
      <div className="grid gap-3 sm:grid-cols-4">
        <Field id="rule-polls" label="Fire after (polls)" error={e('duration_polls')}>
          <Input
            id="rule-polls"
            inputMode="numeric"
            value={form.duration_polls}
            onChange={(x) => set('duration_polls', x.target.value)}
            {...invalid(e('duration_polls'))}
          />
        </Field>
        <Field id="rule-seconds" label="For at least (s)" hint="Optional" error={e('duration_seconds')}>
          <Input
            id="rule-seconds"
            inputMode="numeric"
            value={form.duration_seconds}
            onChange={(x) => set('duration_seconds', x.target.value)}
            {...invalid(e('duration_seconds'))}
          />
        </Field>
        <Field id="rule-clear" label="Resolve after (polls)" error={e('clear_polls')}>
          <Input
            id="rule-clear"
            inputMode="numeric"
            value={form.clear_polls}
            onChange={(x) => set('clear_polls', x.target.value)}
            {...invalid(e('clear_polls'))}
          />
        </Field>
        <Field id="rule-severity" label="Severity" error={e('severity')}>
          <Select
            id="rule-severity"
            value={form.severity}
            onValueChange={(v) => set('severity', v as Severity)}
            options={severities.map((s) => ({ value: s, label: severityLabel[s] }))}
          />
        </Field>
      </div>
      {metric?.per_interface ? (
        <Field
          id="rule-interface"
          label="Interface (optional)"
          hint="Empty: every interface, each its own alert"
          error={e('interface')}
        >
          <Input
            id="rule-interface"
            placeholder="ether1"
            value={form.interface}
            onChange={(x) => set('interface', x.target.value)}
            {...invalid(e('interface'))}
          />
        </Field>
      ) : null}
    </>
  );
}

/** Flapping and link speed: rarely changed, so folded away. */
export function AdvancedFields({ form, set, err }: Omit<Props, 'metrics'>) {
  const e = (k: string) => err?.field(k);
  const open = Boolean(e('flap_transitions') || e('flap_window_seconds') || e('link_speed_bps'));
  return (
    <details open={open || undefined} className="rounded-md border px-3 py-2">
      <summary className="cursor-pointer text-[13px] font-medium">Advanced</summary>
      <div className="grid gap-3 pt-3 sm:grid-cols-2">
        <Field
          id="rule-flap-transitions"
          label="Flapping after (changes)"
          hint="Fired/resolved this often holds notifications"
          error={e('flap_transitions')}
        >
          <Input
            id="rule-flap-transitions"
            inputMode="numeric"
            value={form.flap_transitions}
            onChange={(x) => set('flap_transitions', x.target.value)}
          />
        </Field>
        <Field id="rule-flap-window" label="Within (minutes)" error={e('flap_window_seconds')}>
          <Input
            id="rule-flap-window"
            inputMode="numeric"
            value={form.flap_window_minutes}
            onChange={(x) => set('flap_window_minutes', x.target.value)}
          />
        </Field>
        {form.metric === 'interface_util_pct' ? (
          <Field
            id="rule-link-speed"
            label="Link speed when unknown (Mbps)"
            hint="For links whose speed the router does not report"
            error={e('link_speed_bps')}
          >
            <Input
              id="rule-link-speed"
              inputMode="decimal"
              value={form.link_speed_mbps}
              onChange={(x) => set('link_speed_mbps', x.target.value)}
            />
          </Field>
        ) : null}
      </div>
    </details>
  );
}
