// `/interface/ethernet/monitor numbers=ether1,ether2 once`: one row per named port (names or ids). Without `once` it
// streams a fresh set of rows every second until cancelled, as RouterOS does; scripts always get one set.
import { ethernetMonitorRow } from '../ethernet-link.js';
import type { Row } from '../query.js';
import { type Entry, entriesOf, interfaceRow } from '../rows.js';
import { parseId } from '../values.js';
import { argFlag, type CommandContext, CommandError, type Handler } from './context.js';

function ports(ctx: CommandContext): Entry[] {
  const spec = ctx.args.get('numbers') ?? ctx.args.get('.id') ?? '';
  if (spec === '') throw new CommandError('no such item');
  const entries = entriesOf(ctx.device, '/interface/ethernet');
  const now = Date.now();
  return spec.split(',').map((part) => {
    const id = parseId(part);
    const found =
      id !== undefined
        ? entries.find((e) => e.item.id === id)
        : entries.find((e) => interfaceRow(ctx.device, e, now).name === part);
    if (!found) throw new CommandError(id !== undefined ? 'no such item' : `no such item (${part})`);
    return found;
  });
}

function project(row: Row, proplist: string[] | undefined): Row {
  if (!proplist) return row;
  return Object.fromEntries(proplist.filter((p) => p in row).map((p) => [p, row[p] as string]));
}

function monitor(ctx: CommandContext): void {
  const picked = ports(ctx);
  const sample = (): Row[] => {
    const now = Date.now();
    const c = ctx.device.live(now);
    return picked.map((e) => {
      const r = interfaceRow(ctx.device, e, now);
      const row = ethernetMonitorRow(c, {
        name: r.name as string,
        defaultName: r['default-name'] ?? (r.name as string),
        running: r.running === 'true',
      });
      return project(row, ctx.proplist);
    });
  };
  for (const r of sample()) ctx.out.re(r);
  if (argFlag(ctx, 'once') || ctx.caller.script) {
    ctx.out.done();
    return;
  }
  const interval = Math.max(100, Number(ctx.args.get('interval') ?? '1') * 1000 || 1000);
  const timer = setInterval(() => {
    if (ctx.out.ended) return;
    for (const r of sample()) ctx.out.re({ ...r, '.section': '1' });
  }, interval);
  timer.unref();
  ctx.onCancel(() => clearInterval(timer));
}

export const ethernetCommands: Record<string, Record<string, Handler>> = {
  '/interface/ethernet': { monitor },
};
