import { memo } from 'react';
import { timeZones } from '../../maintenance/zoned';
import { CheckField, ChoiceField, ListField, Section, TextField } from '../kit';
import { SecretField } from '../secret-field';
import { bool, defineTab, type EditorProps, obj, objs, str, strings } from '../tab-def';

// System: the router's name (identity), its time zone and NTP servers, and a new password for one of its users —
// not the user TOD logs in as (TOD would lock itself out; that one changes with the device's credentials).

type System = {
  identity: string;
  time_zone: string;
  /** The router picks its zone itself: the zone shown is left out of the form until the person picks one. */
  autodetect: { zone: string } | null;
  ntp: { enabled: boolean; servers: string[] };
  user: string;
  password: string;
};

let zoneOptions: { value: string; label: string }[] | undefined;
/** Some 400 zones: built once, rendered again only when the zone changes. */
const ZoneField = memo(function ZoneField(props: { value: string; hint?: string; onChange: (v: string) => void }) {
  zoneOptions ??= [
    { value: 'manual', label: 'Manual (no time zone)' },
    ...timeZones().map((z) => ({ value: z, label: z })),
  ];
  const options =
    props.value && !zoneOptions.some((o) => o.value === props.value)
      ? [{ value: props.value, label: props.value }, ...zoneOptions]
      : zoneOptions;
  return (
    <ChoiceField
      path="time_zone"
      label="Time zone"
      value={props.value}
      options={options}
      onChange={props.onChange}
      {...(props.hint ? { hint: props.hint } : {})}
    />
  );
});

function SystemEditor({ value, onChange, view }: EditorProps<System>) {
  const set = <K extends keyof System>(k: K, v: System[K]) => onChange({ ...value, [k]: v });
  const state = obj(view.state);
  const users = objs(view.options.users);
  const login = users.find((u) => u.tod_login === true);
  const others = users.filter((u) => u.tod_login !== true);
  return (
    <div className="grid gap-6">
      <Section
        title="Identity and time"
        description={state.time ? `Router clock: ${str(state.date)} ${str(state.time)}.` : undefined}
      >
        <div className="grid max-w-xl gap-3 sm:grid-cols-2">
          <TextField
            path="identity"
            label="Router name (identity)"
            value={value.identity}
            onChange={(v) => set('identity', v)}
          />
          <ZoneField
            value={value.time_zone}
            onChange={(v) => set('time_zone', v)}
            {...(value.autodetect && value.autodetect.zone === value.time_zone
              ? { hint: 'Detected by the router; choosing a zone turns detection off.' }
              : {})}
          />
        </div>
      </Section>
      <Section title="Time servers (NTP)">
        <CheckField
          path="ntp.enabled"
          label="Keep the clock in sync"
          checked={value.ntp.enabled}
          onChange={(enabled) => set('ntp', { ...value.ntp, enabled })}
        />
        <ListField
          path="ntp.servers"
          legend="NTP servers"
          item="NTP server"
          values={value.ntp.servers}
          onChange={(servers) => set('ntp', { ...value.ntp, servers })}
          max={4}
          placeholder="pool.ntp.org"
          hint="Up to 4 addresses or names."
        />
      </Section>
      <Section
        title="A user's password"
        description={
          login
            ? `TOD logs in as ${str(login.name)}: its password changes with the device's credentials, not here.`
            : 'Set a new password for one of the router’s users.'
        }
      >
        {others.length === 0 ? (
          <p className="text-xs text-muted-foreground">The router has no other users.</p>
        ) : (
          <div className="grid max-w-xl gap-3 sm:grid-cols-2">
            <ChoiceField
              path="admin_password.user"
              label="User"
              value={value.user}
              options={others.map((u) => ({ value: str(u.name), label: `${str(u.name)} (${str(u.group)})` }))}
              onChange={(v) => set('user', v)}
            />
            <SecretField
              path="admin_password.password"
              label="New password"
              value={value.password}
              isSet={null}
              hint="Empty: the password stays as it is."
              onChange={(v) => set('password', v)}
            />
          </div>
        )}
      </Section>
    </div>
  );
}

export const systemTab = defineTab<System>({
  tab: 'system',
  label: 'System',
  description: "The router's name, clock, and a user's password.",
  fromView: (v) => {
    const ntp = obj(v.form.ntp);
    const other = objs(v.options.users).find((u) => u.tod_login !== true);
    return {
      identity: str(v.form.identity),
      time_zone: str(v.form.time_zone),
      autodetect: v.state.time_zone_autodetect === true ? { zone: str(v.form.time_zone) } : null,
      ntp: { enabled: bool(ntp.enabled), servers: strings(ntp.servers) },
      user: str(other?.name),
      password: '',
    };
  },
  toBody: (d) => ({
    ...(d.identity !== '' ? { identity: d.identity } : {}),
    ...(d.time_zone !== '' && d.time_zone !== d.autodetect?.zone ? { time_zone: d.time_zone } : {}),
    ntp: d.ntp,
    ...(d.password !== '' ? { admin_password: { user: d.user, password: d.password } } : {}),
  }),
  Editor: SystemEditor,
  shown: [/^identity$/, /^time_zone$/, /^ntp\.enabled$/, /^ntp\.servers(\.\d+)?$/, /^admin_password\.(user|password)$/],
});
