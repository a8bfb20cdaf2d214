import { useQuery } from '@tanstack/react-query';
import { memo } from 'react';
import { devicesQuery } from '@/api/devices';
import { inventoryQuery } from '@/api/inventory';
import type { ReportKind } from '@/api/reports';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';

// What a report covers, shared by the report and schedule dialogs: a device report's device; otherwise an optional
// site; an SLA report's target. The selects are memoised: a large fleet makes a long list, and the dialog re-renders
// on every key typed elsewhere.

const EVERY = 'all';

export type Scope = { deviceId: string; siteId: string; target: string };
export const emptyScope: Scope = { deviceId: '', siteId: '', target: '99.9' };

/** The scope as request fields: only those the kind reads. */
export function scopeFields(kind: ReportKind, s: Scope) {
  const target = s.target.trim();
  return {
    ...(kind === 'device' && s.deviceId ? { device_id: s.deviceId } : {}),
    ...(kind !== 'device' && s.siteId ? { site_id: s.siteId } : {}),
    // Sent as typed (a non-number is null): the server says what is wrong with it.
    ...(kind === 'sla' && target ? { target_pct: Number(target) } : {}),
  };
}

const DeviceSelect = memo(function DeviceSelect(props: {
  id: string;
  tenantId: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const devices = useQuery(devicesQuery(props.tenantId, { fields: ['name'], sort: 'name' }));
  return (
    <Select
      id={props.id}
      value={props.value}
      onValueChange={props.onChange}
      placeholder={devices.isPending ? 'Loading devices…' : 'Choose a device'}
      options={(devices.data?.items ?? []).map((d) => ({ value: d.id, label: d.name ?? d.id }))}
    />
  );
});

const SiteSelect = memo(function SiteSelect(props: {
  id: string;
  tenantId: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const sites = useQuery(inventoryQuery(props.tenantId, 'sites'));
  return (
    <Select
      id={props.id}
      value={props.value || EVERY}
      onValueChange={(v) => props.onChange(v === EVERY ? '' : v)}
      options={[
        { value: EVERY, label: 'Every site' },
        ...(sites.data ?? []).map((s) => ({ value: s.id, label: s.name })),
      ]}
    />
  );
});

/** The fields for `kind`; `error(name)` is the server's message for a request field. */
export function ScopeFields(props: {
  idPrefix: string;
  tenantId: string;
  kind: ReportKind;
  value: Scope;
  onChange: (s: Scope) => void;
  error: (name: 'device_id' | 'site_id' | 'target_pct') => string | undefined;
}) {
  const { idPrefix: p, value: s } = props;
  const set = (k: keyof Scope) => (v: string) => props.onChange({ ...s, [k]: v });
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {props.kind === 'device' ? (
        <Field id={`${p}-device`} label="Device" error={props.error('device_id')} className="sm:col-span-2">
          <DeviceSelect id={`${p}-device`} tenantId={props.tenantId} value={s.deviceId} onChange={set('deviceId')} />
        </Field>
      ) : (
        <Field id={`${p}-site`} label="Site" hint="Optional: one site's devices only." error={props.error('site_id')}>
          <SiteSelect id={`${p}-site`} tenantId={props.tenantId} value={s.siteId} onChange={set('siteId')} />
        </Field>
      )}
      {props.kind === 'sla' ? (
        <Field
          id={`${p}-target`}
          label="SLA target %"
          hint="Availability each device should reach."
          error={props.error('target_pct')}
        >
          <Input
            id={`${p}-target`}
            inputMode="decimal"
            value={s.target}
            onChange={(e) => set('target')(e.target.value)}
          />
        </Field>
      ) : null}
    </div>
  );
}
