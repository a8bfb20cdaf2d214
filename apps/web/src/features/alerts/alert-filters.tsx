import { useQuery } from '@tanstack/react-query';
import { type AlertState, alertRulesQuery, type Severity } from '@/api/alerts';
import { devicesQuery } from '@/api/devices';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { severities, severityLabel, stateLabel } from './words';

/** What the page shows: `all` is the active alerts, then the history. */
export type PageFilters = { state: 'all' | AlertState; severity?: Severity; device_id?: string; rule_id?: string };

const ANY = 'any';

export function AlertFilters(props: { tenantId: string; value: PageFilters; onChange: (f: PageFilters) => void }) {
  const f = props.value;
  const devices = useQuery(devicesQuery(props.tenantId, { fields: ['name'], sort: 'name' }));
  const rules = useQuery(alertRulesQuery(props.tenantId));
  const set = (k: Exclude<keyof PageFilters, 'state'>, v: string) => {
    const { [k]: _, ...rest } = f;
    props.onChange(v === ANY ? rest : { ...rest, [k]: v });
  };
  return (
    <div className="grid gap-3 p-3 sm:grid-cols-4">
      <Field id="alert-state" label="State">
        <Select
          id="alert-state"
          value={f.state}
          onValueChange={(v) => props.onChange({ ...f, state: v as PageFilters['state'] })}
          options={[
            { value: 'all', label: 'Active, then history' },
            ...(['firing', 'acknowledged', 'resolved'] as const).map((s) => ({ value: s, label: stateLabel[s] })),
          ]}
        />
      </Field>
      <Field id="alert-severity" label="Severity">
        <Select
          id="alert-severity"
          value={f.severity ?? ANY}
          onValueChange={(v) => set('severity', v)}
          options={[
            { value: ANY, label: 'Any severity' },
            ...severities.map((s) => ({ value: s, label: severityLabel[s] })),
          ]}
        />
      </Field>
      <Field id="alert-device" label="Device">
        <Select
          id="alert-device"
          value={f.device_id ?? ANY}
          onValueChange={(v) => set('device_id', v)}
          options={[
            { value: ANY, label: 'Every device' },
            ...(devices.data?.items ?? []).map((d) => ({ value: d.id, label: d.name ?? d.id })),
          ]}
        />
      </Field>
      <Field id="alert-rule" label="Rule">
        <Select
          id="alert-rule"
          value={f.rule_id ?? ANY}
          onValueChange={(v) => set('rule_id', v)}
          options={[
            { value: ANY, label: 'Every rule' },
            ...(rules.data ?? []).map((r) => ({ value: r.id, label: r.name })),
          ]}
        />
      </Field>
    </div>
  );
}
