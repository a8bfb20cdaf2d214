// What a bulk command does (read, change, action) and the deny-list: commands too dangerous to run on a fleet
// from a text box. Each entry has a stable id (the API names it; an admin may allow entries by id for one run)
// and a reason shown to the operator. Entries match menus the way the terminal reads them: a menu name may be
// abbreviated there (`/sys reboot`), so a shorter name that starts a denied menu's name matches it too — over the
// API such a path fails anyway, but an export runs through the terminal (SSH), which would expand it.
import { verbs } from '../changes/commands.js';
import { type CommandIssue, issue } from './issues.js';
import type { BulkCommand } from './parse.js';

export type CommandKind = 'read' | 'change' | 'action';

const READ_VERBS = new Set(['print', 'get', 'find', 'export', 'monitor', 'monitor-traffic', 'ping']);
// The safe-change engine's verbs, plus the terminal's spellings it turns into `set` (comment) or refuses (edit).
const CHANGE_VERBS = new Set<string>([...verbs, 'comment', 'edit']);

/**
 * read: shows state and changes nothing (print, get, export, monitor … once, ping count=N); run directly.
 * change: edits configuration items (add, set, remove, enable, disable, unset, move, comment, make-static); runs
 * through the safe-change engine. action: everything else (reboot, upgrade, flush, renew, run, import, …).
 */
export function classify(c: BulkCommand): CommandKind {
  if (READ_VERBS.has(c.verb)) return 'read';
  if (CHANGE_VERBS.has(c.verb)) return 'change';
  return 'action';
}

/** Properties whose value is script code the router runs later (or the name of a script it runs). */
const CODE_PROPERTIES = new Set([
  'source', // /system script
  'on-event', // /system scheduler, /tool traffic-monitor, …
  'script', // /ip dhcp-client, /tool netwatch (v7)
  'up-script', // /tool netwatch
  'down-script',
  'test-script',
  'lease-script', // /ip dhcp-server
  'on-up', // /ppp profile
  'on-down',
  'on-login', // /ip hotspot user profile
  'on-logout',
  'on-alert', // /ip dhcp-server alert
  'run-after-reset', // /system reset-configuration
]);

const segs = (path: string) => path.split('/').filter(Boolean);

/** The command's menu is `menu` or below it (names may be abbreviated, as the terminal allows). */
function under(path: string, menu: string): boolean {
  const have = segs(path);
  const want = segs(menu);
  if (have.length < want.length) return false;
  return want.every((w, i) => {
    const h = have[i] as string;
    return h === w || (h.length > 0 && w.startsWith(h));
  });
}

const at =
  (menu: string, ...verbs: string[]) =>
  (c: BulkCommand) =>
    under(c.path, menu) && segs(c.path).length === segs(menu).length && verbs.includes(c.verb);

export type DenyEntry = { id: string; reason: string; matches: (c: BulkCommand) => boolean };

// Why each entry is here is its reason; the comments add what the reason leaves out.
export const DENY_LIST: readonly DenyEntry[] = [
  {
    id: 'reset-configuration',
    reason: 'wipes the configuration: the router leaves the network and nothing can be undone',
    matches: at('/system', 'reset-configuration'),
  },
  {
    // Firmware rollouts reboot with a backup before, a deadline and a version check after.
    id: 'reboot',
    reason: 'reboots routers with no check that they come back; firmware upgrades reboot through their own rollout',
    matches: at('/system', 'reboot'),
  },
  {
    id: 'shutdown',
    reason: 'powers routers off: someone has to be on site to turn each one back on',
    matches: at('/system', 'shutdown'),
  },
  {
    // TOD logs in with a router account; reads are denied too (lists of accounts and keys are admin business).
    id: 'user',
    reason: 'router accounts, groups and SSH keys: one change can lock TOD and everyone out, or add a login everywhere',
    matches: (c) => under(c.path, '/user'),
  },
  {
    // TOD pins the API's TLS certificate; exports of certificates write private keys to files.
    id: 'certificate',
    reason: 'certificates and private keys: a new API certificate breaks the fingerprint TOD pinned for the router',
    matches: (c) => under(c.path, '/certificate'),
  },
  {
    id: 'file-remove',
    reason: 'deletes files (backups, staged packages, certificates, scripts) that no change can bring back',
    matches: at('/file', 'remove'),
  },
  {
    // A file's contents can be a script that `/import` or an `autorun.rsc` after netinstall runs.
    id: 'file-write',
    reason: 'writes file contents on the router, which can be a script that later runs',
    matches: at('/file', 'add', 'set', 'edit'),
  },
  {
    // A downloaded package is installed at the next reboot, whatever caused it.
    id: 'package-update',
    reason: 'downloads or installs RouterOS (installing reboots); firmware upgrades run as their own rollout',
    matches: at('/system/package/update', 'download', 'install'),
  },
  {
    id: 'package-uninstall',
    reason: 'removes or disables RouterOS packages at the next reboot, taking features (routing, wireless, …) away',
    matches: at('/system/package', 'uninstall', 'disable'),
  },
  {
    id: 'package-downgrade',
    reason: 'installs the older RouterOS packages on the router and reboots',
    matches: at('/system/package', 'downgrade'),
  },
  {
    id: 'routerboard-upgrade',
    reason: 'flashes the RouterBOARD firmware at the next reboot; firmware upgrades run as their own rollout',
    matches: at('/system/routerboard', 'upgrade'),
  },
  {
    id: 'backup-load',
    reason: 'restores a binary backup: replaces the whole configuration and reboots',
    matches: at('/system/backup', 'load'),
  },
  {
    id: 'import',
    reason: 'runs a script file stored on the router: commands TOD never sees or checks',
    matches: (c) => c.verb === 'import',
  },
  {
    id: 'script-run',
    reason: 'runs a stored script: commands TOD never sees or checks',
    matches: (c) => c.verb === 'run',
  },
  {
    // Scheduler entries and stored scripts run later, with the router's full rights, out of the engine's sight;
    // so do the hook properties of netwatch, DHCP, PPP and hotspot.
    id: 'script-code',
    reason: 'stores script code the router runs later (scheduler, scripts, netwatch, DHCP/PPP hooks)',
    matches: (c) =>
      (c.verb === 'add' || c.verb === 'set' || c.verb === 'edit') &&
      (under(c.path, '/system/scheduler') ||
        under(c.path, '/system/script') ||
        c.args.some((a) => CODE_PROPERTIES.has(a.name))),
  },
  {
    // Backups connect over SSH and check the pinned key (ssh_host_key_mismatch).
    id: 'ssh-host-key',
    reason: "TOD pins each router's SSH host key: a new key stops backups until an admin resets every pin",
    matches: at('/ip/ssh', 'regenerate-host-key'),
  },
];

export const DENY_IDS = DENY_LIST.map((e) => e.id);
export const isDenyId = (id: string) => DENY_IDS.includes(id);

export type Denial = { line: number; column: number; id: string; reason: string; cli: string };

/**
 * The deny-list entries each command hits. `denied` (with one `command_denied` issue each) are those not in
 * `allow`; `allowed` are those an admin allowed for this run (for the audit record). Ids in `allow` that are not
 * entries are ignored here: validate them with DENY_IDS at the API boundary.
 */
export function checkDenied(
  commands: readonly BulkCommand[],
  options: { allow?: readonly string[] } = {},
): { denied: Denial[]; allowed: Denial[]; errors: CommandIssue[] } {
  const allow = new Set(options.allow ?? []);
  const denied: Denial[] = [];
  const allowed: Denial[] = [];
  for (const c of commands) {
    for (const e of DENY_LIST) {
      if (!e.matches(c)) continue;
      const d = { line: c.line, column: c.column, id: e.id, reason: e.reason, cli: c.raw };
      (allow.has(e.id) ? allowed : denied).push(d);
    }
  }
  const errors = denied.map((d) =>
    issue(
      'command_denied',
      d.line,
      d.column,
      `${d.reason} (deny-list entry "${d.id}"; an admin may allow it for one run)`,
    ),
  );
  return { denied, allowed, errors };
}
