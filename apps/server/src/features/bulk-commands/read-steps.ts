// Reads: commands that show state and change nothing. They run directly on each device as API sentences for
// `client.run(command, args, options)` — `print where …` as API query words — except export, which runs in the
// terminal over SSH (RouterOS answers `/export` over the API with nothing). Forms that never end (follow,
// interval, monitor without once, ping without count) or write files are refused.
import { type Query, q } from '@tod/routeros';
import { menuLine } from '@tod/rsc';
import type { Condition } from './expr.js';
import type { Arg, BulkCommand, Selector } from './parse.js';
import { apiPath, isPositional, propertyNames, refuse } from './refusal.js';

export type ReadStep = {
  kind: 'read';
  line: number;
  /** The command as the operator wrote it. */
  cli: string;
  /** API command path: `/ip/address/print`. */
  command: string;
  args: Record<string, string>;
  options: { query?: Query; proplist?: string[] };
  /** What the reply means: its rows, the count in `!done =ret=`, or one property of exactly one row. */
  result: 'rows' | 'count' | 'value';
  valueName?: string;
};

/** An export: run `cli` in the terminal (SSH exec, as config backups do); its text goes through formatExport. */
export type ExportStep = { kind: 'export'; line: number; cli: string };

/** Print options that only change how the terminal lays out the answer: TOD lays it out itself. */
const LAYOUT_FLAGS = new Set(['detail', 'terse', 'brief', 'without-paging', 'value-list', 'as-value', 'show-ids']);
/** Print options the API understands and that change what comes back. */
const PASS_FLAGS = new Set(['stats', 'stats-detail']);
const ENDLESS = new Set(['follow', 'follow-only', 'follow-strict', 'interval', 'repeat']);

export function readStep(c: BulkCommand): ReadStep | ExportStep {
  switch (c.verb) {
    case 'print':
      return print(c);
    case 'get':
      return get(c);
    case 'export':
      return exportStep(c);
    case 'monitor':
    case 'monitor-traffic':
      return monitor(c);
    case 'ping':
      return ping(c);
    default:
      return refuse('find answers internal ids, which differ from device to device: use print where …');
  }
}

function print(c: BulkCommand): ReadStep {
  const args: Record<string, string> = {};
  const conditions: Query[] = [];
  let proplist: string[] | undefined;
  let result: ReadStep['result'] = 'rows';
  for (const a of c.args) {
    if (ENDLESS.has(a.name)) refuse(`print ${a.name} runs until it is stopped; bulk commands read once`, a);
    else if (a.name === 'file' || a.name === 'append') refuse('print file= writes a file on the router', a);
    else if (a.name === 'count-only' && a.value === undefined) {
      args['count-only'] = '';
      result = 'count';
    } else if (LAYOUT_FLAGS.has(a.name) && a.value === undefined) continue;
    else if (PASS_FLAGS.has(a.name) && a.value === undefined) args[a.name] = '';
    else if (a.name === 'proplist' && a.value !== undefined) proplist = propertyNames(a);
    else if (a.name === 'from') conditions.push(...selectorQuery(fromSelector(a)));
    else refuse(`print ${a.name || 'with a positional value'} is not supported in bulk commands`, a);
  }
  if (c.where) conditions.push(toQuery(c.where));
  return apiRead(c, apiPath(c.path, 'print'), args, conditions, proplist, result);
}

function get(c: BulkCommand): ReadStep {
  let selector = c.selector;
  let valueName: string | undefined;
  for (const a of c.args) {
    if (a.name === 'value-name' && a.value) valueName = a.value;
    else if (a.value === undefined && a.find === undefined && a.expr === undefined && valueName === undefined)
      valueName = a.name;
    else refuse('get takes the item and one property name: get [ find name=x ] mtu', a);
  }
  // `get uptime` on a menu with one item: the lone word is the property.
  if (valueName === undefined && selector?.kind === 'name' && !selector.quoted) {
    valueName = selector.value;
    selector = undefined;
  }
  if (!valueName) return refuse('get needs a property name: get [ find name=x ] mtu');
  const step = apiRead(c, apiPath(c.path, 'print'), {}, selectorQuery(selector), [valueName], 'value');
  step.valueName = valueName;
  return step;
}

const EXPORT_FLAGS = new Set(['terse', 'compact', 'verbose', 'hide-sensitive']);

function exportStep(c: BulkCommand): ExportStep {
  if (c.selector) refuse('export takes no items');
  const flags: string[] = [];
  for (const a of c.args) {
    if (a.name === 'show-sensitive')
      refuse('show-sensitive would put passwords and keys into stored results; secrets are masked', a);
    else if (a.name === 'file') refuse('export file= writes a file on the router', a);
    else if (!EXPORT_FLAGS.has(a.name) || a.value !== undefined)
      refuse(`export ${a.name || 'with a positional value'} is not supported in bulk commands`, a);
    // The output is normalised (compact) and secrets are masked, so only verbose changes what is shown.
    else if (a.name === 'verbose') flags.push('verbose');
  }
  const menu = c.path === '/' ? '' : menuLine(c.path);
  return { kind: 'export', line: c.line, cli: [menu ? `${menu} export` : '/export', ...flags].join(' ') };
}

function monitor(c: BulkCommand): ReadStep {
  const args: Record<string, string> = {};
  let once = false;
  const target = c.verb === 'monitor-traffic' ? 'interface' : 'numbers';
  for (const a of c.args) {
    if (a.name === 'once' && a.value === undefined) once = true;
    else if (a.name === 'do' || a.expr !== undefined) refuse('scripts run by monitor are not supported', a);
    else if (ENDLESS.has(a.name) || a.name === 'duration') refuse('bulk commands read once: monitor … once', a);
    else if (a.name === 'file') refuse('monitor file= writes a file on the router', a);
    else if (a.find) refuse(`name the item to monitor (${c.verb} ether1 once); [ find … ] is not supported here`, a);
    else if (isPositional(a) && args[target] === undefined) args[target] = a.value ?? a.name;
    else if (a.value !== undefined && a.name !== '') args[a.name] = a.value;
    else refuse(`unexpected "${a.name || a.value}"`, a);
  }
  if (!once) refuse(`${c.verb} runs until it is stopped: add once`);
  args.once = '';
  return apiRead(c, apiPath(c.path, c.verb), args, [], undefined, 'rows');
}

const PING_ARGS = new Set([
  'address',
  'count',
  'size',
  'interface',
  'src-address',
  'routing-table',
  'vrf',
  'ttl',
  'dscp',
  'do-not-fragment',
  'arp-ping',
]);
export const MAX_PING_COUNT = 10;

/** Ping is a read when it is bounded: count 1 to 10 at the default interval (one second). */
function ping(c: BulkCommand): ReadStep {
  if (c.path !== '/' && c.path !== '/tool') refuse('ping runs as /ping');
  const args: Record<string, string> = {};
  for (const a of c.args) {
    if (isPositional(a) && args.address === undefined && a.name !== 'do-not-fragment' && a.name !== 'arp-ping')
      args.address = a.value ?? a.name;
    else if (PING_ARGS.has(a.name) && a.find === undefined && a.expr === undefined) args[a.name] = a.value ?? '';
    else refuse(`ping ${a.name || a.value} is not supported in bulk commands`, a);
  }
  if (!args.address) refuse('ping needs an address');
  const count = Number(args.count);
  if (!/^\d+$/.test(args.count ?? '') || count < 1 || count > MAX_PING_COUNT)
    refuse(`ping needs count= between 1 and ${MAX_PING_COUNT} (without it, it runs until stopped)`);
  return apiRead(c, '/ping', args, [], undefined, 'rows');
}

function apiRead(
  c: BulkCommand,
  command: string,
  args: Record<string, string>,
  conditions: Query[],
  proplist: string[] | undefined,
  result: ReadStep['result'],
): ReadStep {
  const options: ReadStep['options'] = {};
  if (conditions.length === 1) options.query = conditions[0] as Query;
  else if (conditions.length > 1) options.query = q.and(...conditions);
  if (proplist) options.proplist = proplist;
  return { kind: 'read', line: c.line, cli: c.raw, command, args, options, result };
}

function fromSelector(a: Arg): Selector {
  if (a.find) return a.find;
  if (a.value !== undefined && a.expr === undefined) return { kind: 'name', value: a.value };
  return refuse('from= takes an item name or [ find … ]', a);
}

function selectorQuery(s: Selector | undefined): Query[] {
  if (!s) return [];
  if (s.kind === 'name') return [q.eq('name', s.value)];
  return s.condition ? [toQuery(s.condition)] : [];
}

/** A condition as an API query. `<=`/`>=` are `<`/`>` or `=`; a yes/no flag compares with yes. */
export function toQuery(c: Condition): Query {
  switch (c.op) {
    case 'eq':
      return q.eq(c.name, c.value);
    case 'ne':
      return q.not(q.eq(c.name, c.value));
    case 'lt':
      return q.lt(c.name, c.value);
    case 'gt':
      return q.gt(c.name, c.value);
    case 'le':
      return q.or(q.lt(c.name, c.value), q.eq(c.name, c.value));
    case 'ge':
      return q.or(q.gt(c.name, c.value), q.eq(c.name, c.value));
    case 'flag':
      return q.eq(c.name, 'yes');
    case 'not':
      return q.not(toQuery(c.item));
    case 'and':
      return q.and(...c.items.map(toQuery));
    case 'or':
      return q.or(...c.items.map(toQuery));
  }
}
