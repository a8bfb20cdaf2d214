import { type RouterOSClient, TrapError } from '@tod/routeros';
import { naturalKey } from '@tod/rsc';
import type { PlannedCommand, Where } from './commands.js';

// Sending planned commands over the API: `where` resolved to the items' ids at the moment of sending (one print of
// the key properties), every reply checked. A trap becomes a CommandFailed with the router's own words and the
// property it names, so the editor can show it on that field.

type Row = Record<string, string>;

export class CommandFailed extends Error {
  constructor(
    readonly index: number,
    readonly command: PlannedCommand,
    readonly reason: string,
    readonly property?: string,
  ) {
    super(`command ${index + 1} (${command.cli}) failed: ${reason}`);
  }
}

/** Properties print shows that are state, not configuration: never used to pick an item, never offered to edit. */
const RUNTIME = new Set([
  '.id',
  '.nextid',
  '.about',
  'bytes',
  'packets',
  'dynamic',
  'invalid',
  'running',
  'inactive',
  'builtin',
  'default',
  'active',
  'slave',
  'actual-mtu',
  'actual-interface',
  'last-link-up-time',
  'last-link-down-time',
  'link-downs',
  'status',
  'expires-after',
  'last-seen',
  'age',
]);

export const isState = (name: string) => RUNTIME.has(name);

const BOOL: Record<string, string> = { true: 'yes', false: 'no' };
/** Print says true/false where exports and commands say yes/no. */
export const norm = (v: string | undefined) => (v === undefined ? '' : (BOOL[v] ?? v));

export function matches(row: Row, where: Where): boolean {
  return Object.entries(where).every(([k, v]) => norm(row[k]) === norm(v));
}

/** What identifies a printed row: its natural key when that is unique in the menu, else its configuration. */
export function whereOf(path: string, row: Row, menu: Row[]): Where {
  const key = naturalKey(path, new Map(Object.entries(row).filter(([k]) => !RUNTIME.has(k))));
  const byKey = key ? Object.fromEntries(key) : undefined;
  if (byKey && menu.filter((r) => matches(r, byKey)).length === 1) return byKey;
  const config = Object.fromEntries(Object.entries(row).filter(([k, v]) => !RUNTIME.has(k) && v !== ''));
  // Twins (identical items) can only be told apart by id, for the moment the change is sent.
  if (menu.filter((r) => matches(r, config)).length === 1) return config;
  return { ...config, '.id': row['.id'] ?? '' };
}

export type Io = {
  client: RouterOSClient;
  /** Counts router round trips (the bench reports them). */
  trips: { n: number };
};

async function call(io: Io, path: string, args: Record<string, string>, proplist?: string[]) {
  io.trips.n++;
  return io.client.command(path, args, proplist ? { proplist } : {});
}

/** Ids of the items `where` addresses (all of them: twins removed together). */
export async function resolve(io: Io, path: string, where: Where): Promise<string[]> {
  const props = Object.keys(where).filter((k) => k !== '.id');
  const rows = await call(io, `${path}/print`, {}, ['.id', ...props]);
  return (rows as Row[]).filter((r) => matches(r, where)).map((r) => r['.id'] ?? '');
}

function trapText(e: unknown): { reason: string; property?: string } {
  if (e instanceof TrapError) {
    const m =
      /\b(?:value of|invalid value for argument|unknown parameter|expected end of command.*?)\s+([a-z0-9.-]+)/i.exec(
        e.trapMessage,
      );
    return m?.[1] ? { reason: e.trapMessage, property: m[1] } : { reason: e.trapMessage };
  }
  throw e;
}

/** Sends one command; throws CommandFailed on the router's refusal (other errors — a lost session — propagate). */
export async function send(io: Io, index: number, c: PlannedCommand): Promise<void> {
  const fail = (reason: string, property?: string) => new CommandFailed(index, c, reason, property);
  try {
    const ids = c.where ? await resolve(io, c.path, c.where) : undefined;
    if (ids && ids.length === 0 && c.verb !== 'remove') throw fail('no item matches it any more');
    const dest = c.destination ? await resolve(io, c.path, c.destination) : undefined;
    if (dest && dest.length === 0) throw fail('the item to place it before is gone');
    const numbers = ids?.join(',');
    const p = { ...(c.properties ?? {}) };
    switch (c.verb) {
      case 'add':
        await call(io, `${c.path}/add`, dest ? { ...p, 'place-before': dest[0] as string } : p);
        return;
      case 'set':
        await call(io, `${c.path}/set`, numbers !== undefined ? { ...p, numbers } : p);
        return;
      case 'remove':
        // Already gone is what a remove wants (a retry after a lost reply).
        if (numbers) await call(io, `${c.path}/remove`, { numbers });
        return;
      case 'enable':
      case 'disable':
        await call(io, `${c.path}/${c.verb}`, { numbers: numbers ?? '' });
        return;
      case 'unset':
        for (const name of c.unset ?? [])
          await call(io, `${c.path}/unset`, { numbers: numbers ?? '', 'value-name': name });
        return;
      case 'make-static':
        await call(io, `${c.path}/make-static`, { numbers: numbers ?? '' });
        return;
      case 'import':
        await call(io, `${c.path}/import`, p);
        return;
      case 'move':
        await call(
          io,
          `${c.path}/move`,
          dest ? { numbers: numbers ?? '', destination: dest[0] as string } : { numbers: numbers ?? '' },
        );
        return;
    }
  } catch (e) {
    if (e instanceof CommandFailed) throw e;
    const t = trapText(e);
    throw fail(t.reason, t.property);
  }
}

/** Reads back what a command should have left; a description of the difference, or undefined when it holds. */
export async function readBack(io: Io, c: PlannedCommand): Promise<string | undefined> {
  const props = c.properties ?? {};
  if (c.verb === 'move') return undefined;
  if (c.verb === 'import') {
    const found = c.expect ? await resolve(io, c.path, c.expect) : [];
    return found.length > 0 ? undefined : `${c.cli}: nothing was imported as expected`;
  }
  if (c.verb === 'remove') {
    const left = await resolve(io, c.path, c.where ?? {});
    return left.length > 0 ? `${c.cli}: the item is still there` : undefined;
  }
  const expect: Where = { ...props };
  // RouterOS never prints a user's password: it cannot be read back (the rest of the command can).
  if (c.path === '/user') delete expect.password;
  if (c.verb === 'enable' || c.verb === 'disable') expect.disabled = c.verb === 'disable' ? 'yes' : 'no';
  if (c.verb === 'make-static') expect.dynamic = 'no';
  if (!c.where && c.verb !== 'add') {
    io.trips.n++;
    const row = ((await io.client.command(`${c.path}/print`)) as Row[])[0] ?? {};
    return matches(row, expect) ? undefined : `${c.cli}: reads back differently`;
  }
  // The item addressed (by its old key, or by what an add gave it) now has the new values.
  const key = c.verb === 'add' ? expect : { ...(c.where ?? {}), ...expect };
  const found = await resolve(io, c.path, key);
  return found.length > 0 ? undefined : `${c.cli}: not found with the new values`;
}
