import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { CheckField, ChoiceField, fieldId, invalid, ListField, Section, TextField, useFieldError } from '../kit';
import { bool, defineTab, type EditorProps, interfaceOptions, obj, str, strings } from '../tab-def';

// LAN and DHCP: the router's address on the local network (usually its bridge) and the DHCP server handing out
// addresses there: the pool's first and last address, the DNS servers it gives, and how long a lease lasts.

type Unit = 'minutes' | 'hours' | 'days';
const unitSeconds: Record<Unit, number> = { minutes: 60, hours: 3600, days: 86400 };
type Lan = {
  interface: string;
  address: string;
  dhcp: { enabled: boolean; pool_start: string; pool_end: string; dns_servers: string[]; lease: string; unit: Unit };
};

/** Seconds in the largest unit that divides them (30 minutes, 10 hours, 3 days). */
function leaseOf(seconds: unknown): { lease: string; unit: Unit } {
  if (typeof seconds !== 'number' || seconds <= 0) return { lease: '', unit: 'minutes' };
  for (const unit of ['days', 'hours', 'minutes'] as const)
    if (seconds % unitSeconds[unit] === 0) return { lease: String(seconds / unitSeconds[unit]), unit };
  return { lease: String(Math.round(seconds / 60)), unit: 'minutes' };
}

function LanEditor({ value, onChange, view }: EditorProps<Lan>) {
  const d = value.dhcp;
  const setDhcp = (x: Partial<Lan['dhcp']>) => onChange({ ...value, dhcp: { ...d, ...x } });
  const state = obj(view.state);
  const leaseError = useFieldError('dhcp_server.lease_time_seconds');
  return (
    <div className="grid gap-6">
      <Section title="Local network" description="The router's own address on it; devices use it as their gateway.">
        <div className="grid max-w-xl gap-3 sm:grid-cols-2">
          <ChoiceField
            path="interface"
            label="LAN interface"
            value={value.interface}
            options={interfaceOptions(view, value.interface)}
            onChange={(v) => onChange({ ...value, interface: v })}
            hint="Usually the bridge."
          />
          <TextField
            path="address"
            label="Router address with prefix length"
            placeholder="192.168.88.1/24"
            mono
            value={value.address}
            onChange={(v) => onChange({ ...value, address: v.trim() })}
          />
        </div>
      </Section>
      <Section
        title="DHCP server"
        description={
          state.server
            ? `Server ${str(state.server)}${state.pool ? `, pool ${str(state.pool)}` : ''}.`
            : 'Hands out addresses to the devices on the local network.'
        }
      >
        <CheckField
          path="dhcp_server.enabled"
          label="Hand out addresses"
          checked={d.enabled}
          onChange={(enabled) => setDhcp({ enabled })}
        />
        {d.enabled ? (
          <>
            <div className="grid max-w-xl gap-3 sm:grid-cols-2">
              <TextField
                path="dhcp_server.pool_start"
                label="First address"
                placeholder="192.168.88.10"
                mono
                value={d.pool_start}
                onChange={(v) => setDhcp({ pool_start: v.trim() })}
              />
              <TextField
                path="dhcp_server.pool_end"
                label="Last address"
                placeholder="192.168.88.254"
                mono
                value={d.pool_end}
                onChange={(v) => setDhcp({ pool_end: v.trim() })}
              />
            </div>
            <div className="grid max-w-xs gap-1.5">
              <label htmlFor={fieldId('dhcp_server.lease_time_seconds')} className="text-[13px] font-medium">
                Lease time
              </label>
              <div className="flex gap-2">
                <Input
                  id={fieldId('dhcp_server.lease_time_seconds')}
                  inputMode="numeric"
                  className="w-24"
                  placeholder="30"
                  value={d.lease}
                  {...invalid(fieldId('dhcp_server.lease_time_seconds'), leaseError)}
                  onChange={(e) => setDhcp({ lease: e.target.value.trim() })}
                />
                <Select
                  aria-label="Lease time unit"
                  className="w-32"
                  value={d.unit}
                  options={(['minutes', 'hours', 'days'] as const).map((u) => ({ value: u, label: u }))}
                  onValueChange={(u) => setDhcp({ unit: u as Unit })}
                />
              </div>
              {leaseError ? (
                <p
                  role="alert"
                  className="text-xs text-destructive"
                  id={`${fieldId('dhcp_server.lease_time_seconds')}-error`}
                >
                  {leaseError}
                </p>
              ) : (
                <p className="text-xs text-muted-foreground">Empty: keep the server's.</p>
              )}
            </div>
            <ListField
              path="dhcp_server.dns_servers"
              legend="DNS servers given to devices"
              item="DNS server"
              values={d.dns_servers}
              onChange={(dns_servers) => setDhcp({ dns_servers })}
              max={8}
              placeholder="192.168.88.1"
              hint="Empty: keep what the network has (the router itself for a new one)."
            />
          </>
        ) : null}
      </Section>
    </div>
  );
}

export const lanTab = defineTab<Lan>({
  tab: 'lan',
  label: 'LAN and DHCP',
  description: "The router's address on the local network and the DHCP server there.",
  fromView: (v) => {
    const ds = obj(v.form.dhcp_server);
    return {
      interface: str(v.form.interface),
      address: str(v.form.address),
      dhcp: {
        enabled: bool(ds.enabled),
        pool_start: str(ds.pool_start),
        pool_end: str(ds.pool_end),
        dns_servers: strings(ds.dns_servers),
        ...leaseOf(ds.lease_time_seconds),
      },
    };
  },
  toBody: (d) => {
    const x = d.dhcp;
    const lease = x.lease === '' ? undefined : Number(x.lease) * unitSeconds[x.unit];
    return {
      interface: d.interface,
      address: d.address,
      dhcp_server: x.enabled
        ? {
            enabled: true,
            ...(x.pool_start !== '' || x.pool_end !== '' ? { pool_start: x.pool_start, pool_end: x.pool_end } : {}),
            ...(x.dns_servers.length > 0 ? { dns_servers: x.dns_servers } : {}),
            // A number the server checks (60 s to a year); text that is not one goes as it is, to be named.
            ...(lease !== undefined ? { lease_time_seconds: Number.isFinite(lease) ? lease : x.lease } : {}),
          }
        : { enabled: false },
    };
  },
  Editor: LanEditor,
  shown: [
    /^interface$/,
    /^address$/,
    /^dhcp_server\.(enabled|pool_start|pool_end|lease_time_seconds)$/,
    /^dhcp_server\.dns_servers(\.\d+)?$/,
  ],
});
