// Values RouterOS checks before it stores them, in the menus Simple Config changes: what the router refuses is a
// trap here too, not silently stored. Singleton settings menus get a checked `set` here; store menus are checked by
// `checkValues` from the generic add/set (commands/menu.ts), so their other verbs and "no such menu" stay generic.
import net from 'node:net';
import { entriesOf } from '../rows.js';
import { countChange } from '../safe-mode.js';
import { ConfigStore } from '../store.js';
import { SECURITY_PROFILES } from '../wireless.js';
import { type CommandContext, CommandError, type Handler } from './context.js';
import { set } from './menu.js';

const noMatch = (name: string) => new CommandError(`input does not match any value of ${name}`, 1);
const unknown = (name: string) => new CommandError(`unknown parameter ${name}`, 1);

/** The generic set once `check` passed; counted as a change for safe mode, as dispatch counts generic ones. */
function checked(check: (ctx: CommandContext) => void): Handler {
  return (ctx) => {
    check(ctx);
    set(ctx);
    countChange(ctx.device);
  };
}

/** Every word of a comma list (`wpa2-psk,wpa3-psk`) is one of `allowed`; empty is allowed. */
function listOf(ctx: CommandContext, name: string, allowed: ReadonlySet<string>): void {
  const v = ctx.args.get(name);
  if (v === undefined || v === '') return;
  if (v.split(',').some((w) => !allowed.has(w))) throw noMatch(name);
}

function oneOf(ctx: CommandContext, name: string, allowed: ReadonlySet<string>): void {
  const v = ctx.args.get(name);
  if (v !== undefined && !allowed.has(v)) throw noMatch(name);
}

/** A WPA pre-shared key: 8–63 characters, or 64 hex digits; empty clears it. */
function psk(ctx: CommandContext, name: string): void {
  const v = ctx.args.get(name);
  if (v === undefined || v === '') return;
  if (!((v.length >= 8 && v.length <= 63) || /^[0-9a-fA-F]{64}$/.test(v)))
    throw new CommandError(`value of ${name} must be 8 to 63 characters or 64 hex digits`, 1);
}

/** Only these properties (besides the item words): RouterOS refuses others. */
function only(ctx: CommandContext, allowed: ReadonlySet<string>): void {
  for (const k of ctx.args.keys()) if (!allowed.has(k) && !ITEM_WORDS.has(k)) throw unknown(k);
}
const ITEM_WORDS = new Set(['.id', 'numbers', 'comment', 'disabled', 'place-before']);

/** A property naming an item of another menu must name one that exists (`security-profile=`, `address-pool=`). */
function refersTo(ctx: CommandContext, name: string, menu: string, also: string[] = []): void {
  const v = ctx.args.get(name);
  if (v === undefined || also.includes(v)) return;
  if (!entriesOf(ctx.device, menu).some((e) => ConfigStore.get(e.item, 'name') === v)) throw noMatch(name);
}

/** RouterOS knows the tz database's zones (and `manual`); so does Intl. */
const zoneKnown = (name: string) => {
  if (name === 'manual') return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
};

const LEGACY_AUTH = new Set(['wpa-psk', 'wpa2-psk', 'wpa-eap', 'wpa2-eap']);
const WIFI_AUTH = new Set([
  'wpa-psk',
  'wpa2-psk',
  'wpa3-psk',
  'owe',
  'wpa-eap',
  'wpa2-eap',
  'wpa3-eap',
  'wpa3-eap-192',
]);
const PROFILE_MODES = new Set(['none', 'static-keys-required', 'static-keys-optional', 'dynamic-keys']);
const CIPHERS = new Set(['tkip', 'aes-ccm']);
// The v6 SNTP client names its servers by address (and DNS names apart); v7's keeps them in `servers`.
const NTP_V6 = new Set(['enabled', 'mode', 'primary-ntp', 'secondary-ntp', 'server-dns-names', 'dynamic-servers']);
const NTP_V7 = new Set(['enabled', 'mode', 'servers', 'vrf']);

/** Menus that exist on both versions and have no table of their own: checked before the generic set. */
export const checkedCommands: Record<string, Record<string, Handler>> = {
  '/system/clock': {
    set: checked((ctx) => {
      only(ctx, new Set(['time', 'date', 'time-zone-name', 'time-zone-autodetect']));
      const zone = ctx.args.get('time-zone-name');
      if (zone !== undefined && !zoneKnown(zone)) throw noMatch('time-zone-name');
    }),
  },
  '/system/ntp/client': {
    set: checked((ctx) => {
      only(ctx, ctx.device.behaviour.v7 ? NTP_V7 : NTP_V6);
      for (const name of ['primary-ntp', 'secondary-ntp']) {
        const v = ctx.args.get(name);
        if (v !== undefined && !net.isIPv4(v)) throw new CommandError(`invalid value for argument ${name}`, 1);
      }
    }),
  },
};

/** Checks of an add or set in a store menu (commands/menu.ts calls it with the properties it is about to store). */
export function checkValues(ctx: CommandContext, path: string): void {
  switch (path) {
    case SECURITY_PROFILES:
      oneOf(ctx, 'mode', PROFILE_MODES);
      listOf(ctx, 'authentication-types', LEGACY_AUTH);
      listOf(ctx, 'unicast-ciphers', CIPHERS);
      listOf(ctx, 'group-ciphers', CIPHERS);
      psk(ctx, 'wpa-pre-shared-key');
      psk(ctx, 'wpa2-pre-shared-key');
      return;
    case '/interface/wireless':
      refersTo(ctx, 'security-profile', SECURITY_PROFILES);
      return;
    case '/interface/wifi':
      listOf(ctx, 'security.authentication-types', WIFI_AUTH);
      psk(ctx, 'security.passphrase');
      return;
    case '/ip/dhcp-server':
      refersTo(ctx, 'address-pool', '/ip/pool', ['static-only']);
      return;
  }
}
