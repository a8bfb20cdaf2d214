import type { PlannedCommand } from '../../changes/commands.js';
import type { Security, WifiForm } from '../forms.js';
import { add, isTrue, list, type MenuRows, PlanError, type Row, rowsOf, setIfChanged, unset, yesNo } from '../model.js';
import type { TabDef } from './tab.js';

// WiFi: SSID, security, band/channel and on/off per radio. RouterOS 7's `wifi` package keeps them on the interface
// (`configuration.ssid`, `security.authentication-types`, `security.passphrase`, `channel.band`,
// `channel.frequency`, overriding any profile); the legacy `wireless` package (RouterOS 6, and 7 where a device
// still runs it) keeps SSID, band and frequency on the interface and security in a security profile. A radio whose
// profile is shared (`default`, or another radio's) gets a profile of its own (`tod-<radio>`), so changing one radio
// never changes another.

const WIFI = '/interface/wifi';
const WIFI_SECURITY = '/interface/wifi/security';
const WIRELESS = '/interface/wireless';
const PROFILES = '/interface/wireless/security-profiles';

type Flavour = 'wifi' | 'wireless';
// Bands each package accepts (RouterOS's own values).
export const bands: Record<Flavour, readonly string[]> = {
  wifi: [
    '2ghz-g',
    '2ghz-n',
    '2ghz-ax',
    '2ghz-be',
    '5ghz-a',
    '5ghz-an',
    '5ghz-ac',
    '5ghz-ax',
    '5ghz-be',
    '6ghz-ax',
    '6ghz-be',
  ],
  wireless: [
    '2ghz-b',
    '2ghz-b/g',
    '2ghz-b/g/n',
    '2ghz-g/n',
    '2ghz-onlyg',
    '2ghz-onlyn',
    '5ghz-a',
    '5ghz-a/n',
    '5ghz-a/n/ac',
    '5ghz-n/ac',
    '5ghz-onlyn',
    '5ghz-onlyac',
  ],
};
const securitiesOf: Record<Flavour, readonly Security[]> = {
  wifi: ['open', 'wpa2-psk', 'wpa3-psk', 'wpa2-wpa3-psk'],
  wireless: ['open', 'wpa2-psk'],
};
const WIFI_TYPES: Record<Security, string> = {
  open: '',
  'wpa2-psk': 'wpa2-psk',
  'wpa3-psk': 'wpa3-psk',
  'wpa2-wpa3-psk': 'wpa2-psk,wpa3-psk',
};

type Radio = { flavour: Flavour; row: Row };
function radios(rows: MenuRows): Radio[] {
  return [
    ...rowsOf(rows, WIFI).map((row) => ({ flavour: 'wifi' as const, row })),
    ...rowsOf(rows, WIRELESS).map((row) => ({ flavour: 'wireless' as const, row })),
  ];
}

/** The security a list of authentication types means (eap and others are shown as `other`, kept as they are). */
function securityOf(types: string[]): Security | 'other' {
  const t = new Set(types);
  if (t.size === 0) return 'open';
  if ([...t].some((x) => !['wpa-psk', 'wpa2-psk', 'wpa3-psk'].includes(x))) return 'other';
  if (t.has('wpa3-psk')) return t.has('wpa2-psk') ? 'wpa2-wpa3-psk' : 'wpa3-psk';
  return 'wpa2-psk';
}

/** A wifi radio's security: inline settings, else its security profile's. */
function wifiSecurity(rows: MenuRows, r: Row): { security: Security | 'other' | null; passphraseSet: boolean } {
  const profile = rowsOf(rows, WIFI_SECURITY).find((p) => p.name === r.security);
  const types = r['security.authentication-types'] ?? profile?.['authentication-types'];
  const pass = r['security.passphrase'] ?? profile?.passphrase ?? '';
  return { security: types === undefined ? null : securityOf(list(types)), passphraseSet: pass !== '' };
}

const profileName = (r: Row) => r['security-profile'] ?? 'default';
function legacySecurity(rows: MenuRows, r: Row) {
  const p = rowsOf(rows, PROFILES).find((x) => x.name === profileName(r));
  if (!p) return { security: null, passphraseSet: false, profile: undefined };
  const security = (p.mode ?? 'none') === 'none' ? 'open' : securityOf(list(p['authentication-types']));
  return { security, passphraseSet: (p['wpa2-pre-shared-key'] ?? '') !== '', profile: p };
}

export const wifi: TabDef<'wifi'> = {
  menus: () => ['/interface', WIFI, WIFI_SECURITY, WIRELESS, PROFILES],

  read(rows) {
    const secrets: Record<string, { set: boolean }> = {};
    const items = radios(rows).map(({ flavour, row }) => {
      const name = row.name ?? '';
      const s = flavour === 'wifi' ? wifiSecurity(rows, row) : legacySecurity(rows, row);
      secrets[`radios.${name}.passphrase`] = { set: s.passphraseSet };
      const freq = flavour === 'wifi' ? row['channel.frequency'] : row.frequency;
      return {
        interface: name,
        enabled: !isTrue(row.disabled),
        ssid: (flavour === 'wifi' ? row['configuration.ssid'] : row.ssid) ?? null,
        security: s.security,
        band: (flavour === 'wifi' ? row['channel.band'] : row.band) ?? null,
        frequency: freq === undefined || freq === 'auto' ? 'auto' : /^\d+$/.test(freq) ? Number(freq) : freq,
      };
    });
    const kinds = [...new Set(radios(rows).map((r) => r.flavour))];
    return {
      form: { radios: items },
      secrets,
      options: {
        radios: radios(rows).map((r) => ({
          interface: r.row.name ?? '',
          package: r.flavour,
          running: isTrue(r.row.running),
        })),
        bands: Object.fromEntries(kinds.map((k) => [k, bands[k]])),
        securities: Object.fromEntries(kinds.map((k) => [k, securitiesOf[k]])),
      },
      state: {},
    };
  },

  plan(f, rows) {
    const all = radios(rows);
    const out: PlannedCommand[] = [];
    f.radios.forEach((want, i) => {
      const field = (k: string) => `radios.${i}.${k}`;
      const radio = all.find((r) => r.row.name === want.interface);
      if (!radio) throw new PlanError(field('interface'), `the device has no wireless interface ${want.interface}`);
      if (want.band !== undefined && !bands[radio.flavour].includes(want.band))
        throw new PlanError(field('band'), `${radio.flavour} radios take ${bands[radio.flavour].join(', ')}`);
      if (want.security !== undefined && !securitiesOf[radio.flavour].includes(want.security))
        throw new PlanError(field('security'), `this radio (the ${radio.flavour} package) cannot do ${want.security}`);
      out.push(
        ...(radio.flavour === 'wifi'
          ? planWifi(rows, radio.row, want, field)
          : planLegacy(rows, all, radio.row, want, field)),
      );
    });
    return out;
  },
};

type Want = WifiForm['radios'][number];
const where = (r: Row) => ({ name: r.name ?? '' });

function planWifi(rows: MenuRows, r: Row, w: Want, field: (k: string) => string): PlannedCommand[] {
  const want: Row = {};
  if (w.ssid !== undefined) want['configuration.ssid'] = w.ssid;
  if (w.band !== undefined) want['channel.band'] = w.band;
  if (typeof w.frequency === 'number') want['channel.frequency'] = String(w.frequency);
  if (w.enabled !== undefined) want.disabled = yesNo(!w.enabled);
  const now = wifiSecurity(rows, r);
  if (w.security !== undefined) {
    want['security.authentication-types'] = WIFI_TYPES[w.security];
    if (w.security !== 'open' && w.passphrase === undefined && !now.passphraseSet)
      throw new PlanError(field('passphrase'), 'WPA needs a passphrase: this radio has none');
  }
  if (w.passphrase !== undefined) want['security.passphrase'] = w.passphrase;
  // A set leaves unchanged values out; the types compare as sets (RouterOS may print them in its own order).
  const types = r['security.authentication-types'];
  if (types !== undefined && want['security.authentication-types'] !== undefined) {
    const same =
      [...new Set(list(types))].sort().join(',') ===
      [...new Set(list(want['security.authentication-types']))].sort().join(',');
    if (same) delete want['security.authentication-types'];
  }
  const out = setIfChanged(WIFI, where(r), r, want, { disabled: 'no' });
  // Auto channel: no frequency of its own (the profile's, or the radio's choice).
  if (w.frequency === 'auto' && r['channel.frequency'] !== undefined)
    out.push(unset(WIFI, where(r), ['channel.frequency']));
  return out;
}

function planLegacy(rows: MenuRows, all: Radio[], r: Row, w: Want, field: (k: string) => string): PlannedCommand[] {
  const out: PlannedCommand[] = [];
  const want: Row = {};
  if (w.ssid !== undefined) want.ssid = w.ssid;
  if (w.band !== undefined) want.band = w.band;
  if (w.frequency !== undefined) want.frequency = String(w.frequency);
  if (w.enabled !== undefined) want.disabled = yesNo(!w.enabled);
  const now = legacySecurity(rows, r);
  if (w.security !== undefined || w.passphrase !== undefined) {
    const security = w.security ?? now.security;
    if (security !== 'open' && security !== 'wpa2-psk')
      throw new PlanError(field('security'), 'choose open or wpa2-psk for this radio (its security is something else)');
    const psk = w.passphrase ?? (now.profile?.['wpa2-pre-shared-key'] || undefined);
    const profile: Row =
      security === 'open'
        ? { mode: 'none' }
        : {
            mode: 'dynamic-keys',
            'authentication-types': 'wpa2-psk',
            'unicast-ciphers': 'aes-ccm',
            'group-ciphers': 'aes-ccm',
            ...(psk ? { 'wpa2-pre-shared-key': psk } : {}),
          };
    if (security === 'wpa2-psk' && !psk && !now.passphraseSet)
      throw new PlanError(field('passphrase'), 'WPA2 needs a passphrase: this radio has none');
    const current = now.profile;
    const differs = !current || setIfChanged(PROFILES, undefined, current, profile).length > 0;
    if (differs) {
      // Its own profile, changed in place; a shared one (default, or another radio's) is left as it is.
      const name = profileName(r);
      const shared =
        name === 'default' || all.some((o) => o.row !== r && o.flavour === 'wireless' && profileName(o.row) === name);
      const own = shared ? `tod-${r.name}` : name;
      const existing = rowsOf(rows, PROFILES).find((p) => p.name === own);
      if (existing) out.push(...setIfChanged(PROFILES, { name: own }, existing, profile));
      else {
        if (security === 'wpa2-psk' && !psk)
          throw new PlanError(field('passphrase'), 'give the passphrase: TOD cannot read the one the radio has');
        out.push(add(PROFILES, { name: own, ...profile }));
      }
      if (own !== name) want['security-profile'] = own;
    }
  }
  out.push(...setIfChanged(WIRELESS, where(r), r, want, { disabled: 'no', 'security-profile': 'default' }));
  return out;
}
