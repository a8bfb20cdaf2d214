import { VERBS } from '@tod/rsc';
// The words the command reader knows as commands. The terminal knows which words are commands in which menu;
// TOD does not have the menu tree, so a word here is a command wherever it stands, and any other word is a menu.
// A word that is a menu on some version (`/system upgrade` on RouterOS 6) therefore reads as a command there:
// the classification then refuses it rather than running something else.

/** Words that are commands; any other word at the start of a line is a menu: what exports use, and the terminal's. */
export const KNOWN_VERBS = new Set([
  ...VERBS,
  'make-static',
  'monitor',
  'monitor-traffic',
  'ping',
  'reset-counters-all',
  'reboot',
  'shutdown',
  'reset-configuration',
  'upgrade',
  'install',
  'uninstall',
  'downgrade',
  'download',
  'check-for-updates',
  'apply-changes',
  'save',
  'load',
  'flush',
  'force-update',
  'renew',
  'release',
  'regenerate-host-key',
  'fetch',
  'send',
  'traceroute',
  'bandwidth-test',
  'torch',
  'wol',
  'quick',
  'start',
  'stop',
  'scan',
  'blink',
  'power-cycle',
  'cable-test',
]);

/** Verbs whose first positional word addresses items (`set ether1 …`, `remove [ find … ]`). */
export const SELECTOR_VERBS = new Set([
  'set',
  'remove',
  'enable',
  'disable',
  'unset',
  'move',
  'comment',
  'edit',
  'make-static',
  'get',
  'reset-counters',
]);
