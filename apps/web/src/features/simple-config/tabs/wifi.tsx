import { Badge } from '@/components/ui/badge';
import { CheckField, ChoiceField, Section, TextField } from '../kit';
import { SecretField } from '../secret-field';
import { defineTab, type EditorProps, obj, objs, str, strings } from '../tab-def';

// WiFi: per radio, on or off, the network name, its security and passphrase, the band and the channel. What a
// radio offers depends on its package (RouterOS 7's `wifi`, or the legacy `wireless` of v6 and older v7 devices):
// the form offers the bands and securities `options` lists for that package.

type Radio = {
  interface: string;
  package: string;
  running: boolean;
  enabled: boolean;
  ssid: string;
  /** `other` when the router's security is something this form does not manage (it is kept). */
  security: string;
  passphrase: string;
  band: string;
  frequency: string;
};
type Wifi = { radios: Radio[] };

const securityLabel: Record<string, string> = {
  open: 'Open (no password)',
  'wpa2-psk': 'WPA2 personal',
  'wpa3-psk': 'WPA3 personal',
  'wpa2-wpa3-psk': 'WPA2 + WPA3 personal',
};
const packageLabel: Record<string, string> = { wifi: 'wifi package (RouterOS 7)', wireless: 'wireless package' };

/** Channel centre frequencies for a band's range (MHz), labelled with the channel number. */
function channels(band: string): { value: string; label: string }[] {
  const at = (mhz: number, ch: number) => ({ value: String(mhz), label: `Channel ${ch} (${mhz} MHz)` });
  if (band.startsWith('2ghz')) return Array.from({ length: 13 }, (_, i) => at(2412 + 5 * i, i + 1));
  if (band.startsWith('5ghz'))
    return [
      36, 40, 44, 48, 52, 56, 60, 64, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 149, 153, 157, 161, 165,
    ].map((ch) => at(5000 + 5 * ch, ch));
  if (band.startsWith('6ghz')) return Array.from({ length: 59 }, (_, i) => at(5955 + 20 * i, 1 + 4 * i));
  return [];
}

function RadioCard({
  r,
  i,
  view,
  onChange,
}: {
  r: Radio;
  i: number;
  view: EditorProps<Wifi>['view'];
  onChange: (x: Partial<Radio>) => void;
}) {
  const bands = strings(obj(view.options.bands)[r.package]);
  const securities = strings(obj(view.options.securities)[r.package]);
  const bandOptions = [...(r.band && !bands.includes(r.band) ? [r.band] : []), ...bands].map((b) => ({
    value: b,
    label: b,
  }));
  const securityOptions = [
    ...(r.security === 'other' ? [{ value: 'other', label: 'Other (kept as it is)' }] : []),
    ...securities.map((s) => ({ value: s, label: securityLabel[s] ?? s })),
  ];
  const chans = channels(r.band);
  const freqOptions = [
    { value: 'auto', label: 'Automatic' },
    ...(r.frequency !== 'auto' && !chans.some((c) => c.value === r.frequency)
      ? [{ value: r.frequency, label: `${r.frequency} MHz` }]
      : []),
    ...chans,
  ];
  const p = (k: string) => `radios.${i}.${k}`;
  return (
    <Section
      className="rounded-md border p-4"
      title={r.interface}
      description={
        <span className="flex flex-wrap items-center gap-2">
          {packageLabel[r.package] ?? r.package}
          <Badge tone={r.running ? 'success' : 'neutral'}>{r.running ? 'running' : 'not running'}</Badge>
        </span>
      }
    >
      <CheckField
        path={p('enabled')}
        label={`Radio ${r.interface} on`}
        checked={r.enabled}
        onChange={(enabled) => onChange({ enabled })}
      />
      <div className="grid max-w-2xl gap-3 sm:grid-cols-2">
        <TextField
          path={p('ssid')}
          label="Network name (SSID)"
          value={r.ssid}
          onChange={(ssid) => onChange({ ssid })}
        />
        <ChoiceField
          path={p('security')}
          label="Security"
          value={r.security}
          options={securityOptions}
          onChange={(security) => onChange({ security })}
        />
        {r.security !== 'open' ? (
          <SecretField
            path={p('passphrase')}
            label="Passphrase"
            value={r.passphrase}
            isSet={view.secrets[`radios.${r.interface}.passphrase`]?.set === true}
            onChange={(passphrase) => onChange({ passphrase })}
          />
        ) : null}
        <ChoiceField
          path={p('band')}
          label="Band"
          value={r.band}
          options={bandOptions}
          onChange={(band) => onChange({ band, frequency: 'auto' })}
        />
        <ChoiceField
          path={p('frequency')}
          label="Channel"
          value={r.frequency}
          options={freqOptions}
          onChange={(frequency) => onChange({ frequency })}
        />
      </div>
    </Section>
  );
}

function WifiEditor({ value, onChange, view }: EditorProps<Wifi>) {
  const set = (i: number, x: Partial<Radio>) =>
    onChange({ radios: value.radios.map((r, j) => (j === i ? { ...r, ...x } : r)) });
  return (
    <div className="grid gap-4">
      {value.radios.map((r, i) => (
        <RadioCard key={r.interface} r={r} i={i} view={view} onChange={(x) => set(i, x)} />
      ))}
    </div>
  );
}

export const wifiTab = defineTab<Wifi>({
  tab: 'wifi',
  label: 'WiFi',
  description: 'Each radio: on or off, network name, security, band and channel. Passphrases are never shown.',
  fromView: (v) => {
    const meta = objs(v.options.radios);
    return {
      radios: objs(v.form.radios).map((r) => {
        const m = meta.find((x) => x.interface === r.interface) ?? {};
        const security = str(r.security, 'other');
        return {
          interface: str(r.interface),
          package: str(m.package, 'wifi'),
          running: m.running === true,
          enabled: r.enabled !== false,
          ssid: str(r.ssid),
          security,
          passphrase: '',
          band: str(r.band),
          frequency: r.frequency === undefined || r.frequency === null ? 'auto' : String(r.frequency),
        };
      }),
    };
  },
  toBody: (d) => ({
    radios: d.radios.map((r) => ({
      interface: r.interface,
      enabled: r.enabled,
      ...(r.ssid !== '' ? { ssid: r.ssid } : {}),
      ...(r.security !== 'other' ? { security: r.security } : {}),
      ...(r.passphrase !== '' && r.security !== 'open' ? { passphrase: r.passphrase } : {}),
      ...(r.band !== '' ? { band: r.band } : {}),
      frequency: r.frequency === 'auto' ? 'auto' : /^\d+$/.test(r.frequency) ? Number(r.frequency) : r.frequency,
    })),
  }),
  Editor: WifiEditor,
  shown: [/^radios\.\d+\.(enabled|ssid|security|passphrase|band|frequency)$/],
  unusable: (v) => (objs(v.form.radios).length === 0 ? 'This device has no wireless interfaces.' : null),
});
