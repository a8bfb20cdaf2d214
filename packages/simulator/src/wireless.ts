// The legacy `wireless` package's built-in items: the `default` security profile every device with the package has
// (v6 always; v7 when it runs the package instead of `wifi`). Printed with RouterOS's defaults; untouched, it is not
// exported (a compact export omits unchanged defaults).
import type { ConfigStore } from './store.js';

export const SECURITY_PROFILES = '/interface/wireless/security-profiles';

export function seedSecurityProfiles(store: ConfigStore): void {
  if (store.menu(SECURITY_PROFILES, false)?.items.some((i) => i.fixed?.get('default') === 'yes')) return;
  store.add(SECURITY_PROFILES, new Map(), {
    builtin: true,
    fixed: new Map([
      ['name', 'default'],
      ['default', 'yes'],
      ['mode', 'none'],
      ['authentication-types', ''],
      ['unicast-ciphers', 'aes-ccm'],
      ['group-ciphers', 'aes-ccm'],
      ['wpa-pre-shared-key', ''],
      ['wpa2-pre-shared-key', ''],
      ['supplicant-identity', 'MikroTik'],
    ]),
  });
}
