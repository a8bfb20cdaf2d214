// Which properties carry secrets, so callers can redact or encrypt them before storing or showing a config.
import { cloneDocument } from './clone.js';
import type { Arg, ExportDocument } from './types.js';

// Property names that are secret in every menu (last dotted segment, so `security.passphrase` matches too).
const ALWAYS = new Set([
  'password',
  'passphrase',
  'secret',
  'private-key',
  'preshared-key',
  'pre-shared-key',
  'wpa-pre-shared-key',
  'wpa2-pre-shared-key',
  'nv2-preshared-key',
  'psk',
  'sae-password',
  'auth-key',
  'authentication-key',
  'authentication-password',
  'encryption-password',
  'encryption-key',
  'ipsec-secret',
  'radius-secret',
  'shared-secret',
  'tcp-md5-key',
  'static-sta-private-key',
  'static-key-0',
  'static-key-1',
  'static-key-2',
  'static-key-3',
  'management-protection-key',
  'eap-password',
  'mschapv2-password',
  'user-password',
]);

// Names that are only secret in some menus: `key` of a PPP/IPsec/hotspot entry is a credential, but `key`
// elsewhere (e.g. /certificate, /system license) is not; an SNMP community's name IS its password.
const BY_MENU: Array<[RegExp, Set<string>]> = [
  [/^\/snmp\/community$/, new Set(['name'])],
  [/^\/(ip\/ipsec|ppp|interface\/wireless|interface\/wifi|caps-man|routing)(\/|$)/, new Set(['key'])],
  [/^\/interface\/wireguard\/peers$/, new Set(['preshared-key'])],
  [/^\/tool\/(e-mail|sms)$/, new Set(['password', 'secret'])],
];

/** Whether property `name` under menu `path` (`/ppp/secret`, slash form) holds a secret. */
export function isSecretProperty(path: string, name: string): boolean {
  const dot = name.lastIndexOf('.');
  const last = (dot >= 0 ? name.slice(dot + 1) : name).toLowerCase();
  if (ALWAYS.has(last)) return true;
  for (const [menu, names] of BY_MENU) if (menu.test(path) && names.has(last)) return true;
  return false;
}

export type Replacement = string | ((path: string, name: string, value: string) => string);

/**
 * A copy of `doc` with every secret-bearing property value replaced (a fixed string, or a function e.g. to
 * encrypt). Scripts (`source=`, `on-event=`) are not parsed, so secrets written inside them are not found.
 */
export function redactSecrets(doc: ExportDocument, replacement: Replacement = '*****'): ExportDocument {
  const copy = cloneDocument(doc);
  const replace = (path: string, arg: Arg): void => {
    if (arg.value === undefined || !isSecretProperty(path, arg.name)) return;
    arg.value = typeof replacement === 'string' ? replacement : replacement(path, arg.name, arg.value);
  };
  for (const section of copy.sections) {
    for (const cmd of section.commands) for (const arg of cmd.args) replace(section.path, arg);
  }
  return copy;
}

/** Every secret in `doc`, e.g. for encrypting them separately: path, line, property name and value. */
export function findSecrets(doc: ExportDocument): Array<{ path: string; line: number; name: string; value: string }> {
  const out: Array<{ path: string; line: number; name: string; value: string }> = [];
  for (const section of doc.sections) {
    for (const cmd of section.commands) {
      for (const a of cmd.args) {
        if (a.value !== undefined && isSecretProperty(section.path, a.name))
          out.push({ path: section.path, line: cmd.line, name: a.name, value: a.value });
      }
    }
  }
  return out;
}
