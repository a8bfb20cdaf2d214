// Actions: commands that are neither reads nor configuration. A short list runs as one API command each; those
// on the deny-list (reboot, reset, package installs, …) only when an admin allowed the entry for the run.
import { menuLine } from '@tod/rsc';
import type { BulkCommand } from './parse.js';
import { apiPath, isPositional, refuse } from './refusal.js';

export type ActionStep = {
  kind: 'action';
  line: number;
  cli: string;
  command: string;
  args: Record<string, string>;
  /** The router drops the session when it obeys (reboot, reset, install): a closed session then means done. */
  disconnects: boolean;
};

type ActionRule = {
  /** Name of the API argument a positional value fills. */
  positional?: string;
  /** Arguments accepted (name=value, or a bare flag). */
  args?: readonly string[];
  disconnects?: boolean;
};

// Actions that run as one API command. Those on the deny-list run only when an admin allowed the entry; anything
// not here (fetch, e-mail, sniffer, bandwidth-test, …) is refused: it is not a read and not configuration.
const ACTIONS: Record<string, ActionRule> = {
  '/system/reboot': { disconnects: true },
  '/system/shutdown': { disconnects: true },
  '/system/reset-configuration': { args: ['no-defaults', 'skip-backup', 'keep-users'], disconnects: true },
  '/system/routerboard/upgrade': {},
  '/system/package/update/check-for-updates': {},
  '/system/package/update/download': {},
  '/system/package/update/install': { disconnects: true },
  '/system/package/uninstall': { positional: 'numbers' },
  '/system/package/downgrade': { disconnects: true },
  '/system/backup/load': { args: ['name', 'password'], disconnects: true },
  '/import': { positional: 'file-name', args: ['file-name', 'verbose', 'dry-run'] },
  '/system/script/run': { positional: 'number' },
  '/ip/ssh/regenerate-host-key': {},
  '/ip/dns/cache/flush': {},
  '/ip/cloud/force-update': {},
  '/ip/dhcp-client/renew': { positional: 'numbers' },
};

export function actionStep(c: BulkCommand): ActionStep {
  const command = apiPath(c.path, c.verb);
  // Counters only: graphs see a reset, configuration is untouched.
  if (c.verb === 'reset-counters-all' || c.verb === 'reset-counters') return counters(c, command);
  const rule = ACTIONS[command];
  if (!rule) return refuse(`${menuLine(c.path)} ${c.verb} is not run by bulk commands (not a read, not configuration)`);
  const args: Record<string, string> = {};
  if (c.selector) refuse(`${c.verb} does not take [ find … ]`);
  for (const a of c.args) {
    if (a.find || a.expr !== undefined) refuse('[ … ] values are not supported here', a);
    else if (rule.positional && isPositional(a) && args[rule.positional] === undefined)
      args[rule.positional] = a.value ?? a.name;
    else if (a.name !== '' && rule.args?.includes(a.name)) args[a.name] = a.value ?? '';
    else refuse(`${c.verb} ${a.name || a.value} is not supported in bulk commands`, a);
  }
  return { kind: 'action', line: c.line, cli: c.raw, command, args, disconnects: rule.disconnects === true };
}

function counters(c: BulkCommand, command: string): ActionStep {
  const args: Record<string, string> = {};
  if (c.verb === 'reset-counters') {
    if (c.selector?.kind !== 'name')
      refuse('reset-counters takes item names (reset-counters ether1); use reset-counters-all for every item');
    args.numbers = (c.selector as { value: string }).value;
  }
  if (c.args[0]) refuse(`unexpected "${c.args[0].name || c.args[0].value}"`, c.args[0]);
  return { kind: 'action', line: c.line, cli: c.raw, command, args, disconnects: false };
}
