// Routes a command (`/ip/address/print`) to its handler: computed menus and special commands first, then the
// generic store-menu commands. Unknown menus answer `no such command prefix`, unknown verbs `no such command`.
import { knownMenus } from '../menus.js';
import { countChange } from '../safe-mode.js';
import { certificateCommands } from './certificates.js';
import { configCommands } from './config.js';
import { type CommandContext, CommandError, type Handler } from './context.js';
import { ethernetCommands } from './ethernet.js';
import { leaseCommands } from './leases.js';
import { add, enableDisable, get, listen, move, print, remove, set, unset } from './menu.js';
import { streamCommands } from './streams.js';
import { systemCommands } from './system.js';

const GENERIC: Record<string, Handler> = {
  print,
  get,
  add,
  set,
  unset,
  remove,
  move,
  listen,
  enable: (ctx) => enableDisable(ctx, false),
  disable: (ctx) => enableDisable(ctx, true),
  'reset-counters': (ctx) => ctx.out.done(),
};

const TABLES = [systemCommands, configCommands, streamCommands, leaseCommands, ethernetCommands, certificateCommands];
// Verbs that change the configuration: each one that succeeds is one action of safe mode's history.
const CHANGES = new Set(['add', 'set', 'unset', 'remove', 'move', 'enable', 'disable']);
const known = { v6: knownMenus(false), v7: knownMenus(true) };

/** `/ip/address/print` → `['/ip/address', 'print']`; `/export` → `['', 'export']`. */
export function splitCommand(word: string): [string, string] {
  const at = word.lastIndexOf('/');
  return [at <= 0 ? '' : word.slice(0, at), word.slice(at + 1)];
}

export function dispatch(ctx: CommandContext): void {
  for (const table of TABLES) {
    const h = table[ctx.path]?.[ctx.verb];
    if (h) {
      h(ctx);
      return;
    }
  }
  const special = TABLES.some((t) => t[ctx.path] !== undefined);
  const exists =
    ctx.path !== '' &&
    ((ctx.device.behaviour.v7 ? known.v7 : known.v6).has(ctx.path) || ctx.device.store.menus.has(ctx.path));
  const menus = ctx.device.behaviour.v7 ? known.v7 : known.v6;
  const prefix = `${ctx.path}/`;
  const isDir =
    ctx.path !== '' &&
    ([...menus].some((m) => m.startsWith(prefix)) ||
      [...ctx.device.store.menus.keys()].some((m) => m.startsWith(prefix)));
  if ((exists || isDir) && ctx.verb === 'export') {
    const h = configCommands['']?.export as Handler;
    h(ctx);
    return;
  }
  // A computed menu (resource, health, ...) has no items to add, set or remove.
  const computedMenu = TABLES.some((t) => t[ctx.path]?.print !== undefined);
  if (exists && !computedMenu) {
    const h = GENERIC[ctx.verb];
    if (h) {
      h(ctx);
      if (CHANGES.has(ctx.verb)) countChange(ctx.device);
      return;
    }
  }
  if (exists || special || isDir) throw new CommandError('no such command');
  throw new CommandError('no such command prefix');
}
