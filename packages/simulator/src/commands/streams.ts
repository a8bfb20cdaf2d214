// Streaming and state menus: `/interface/monitor-traffic`, `/log` (print, follow), `/ip/neighbor`, and the wireless
// registration tables and monitors (radio.ts).
import type { LogEntry } from '../device.js';
import { trafficRates } from '../live.js';
import { compileQuery, type Row } from '../query.js';
import { entriesOf, interfaceRow } from '../rows.js';
import { formatId, formatLogTime } from '../values.js';
import { argFlag, type CommandContext, CommandError, type Handler } from './context.js';
import { radioCommands } from './radio.js';
import { computed } from './system.js';

function logRow(e: LogEntry, iso: boolean): Row {
  return { '.id': formatId(e.id), time: formatLogTime(e.time, Date.now(), iso), topics: e.topics, message: e.message };
}

function monitorTraffic(ctx: CommandContext): void {
  const names = (ctx.args.get('interface') ?? '').split(',').filter((n) => n !== '');
  if (names.length === 0) throw new CommandError('interface must be set', 1);
  const entries = entriesOf(ctx.device, '/interface');
  const sample = (): Row[] =>
    names.map((n) => {
      const e = entries.find((x) => interfaceRow(ctx.device, x, Date.now()).name === n);
      if (!e) throw new CommandError(`no such item (${n})`, 1);
      const row = interfaceRow(ctx.device, e, Date.now());
      return trafficRates(ctx.device.live(), n, row.running === 'true');
    });
  const first = sample();
  for (const r of first) ctx.out.re(r);
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

function logPrint(ctx: CommandContext): void {
  const filter = compileQuery(ctx.query);
  const followOnly = argFlag(ctx, 'follow-only');
  const follow = followOnly || argFlag(ctx, 'follow');
  let n = 0;
  if (!followOnly) {
    for (const e of ctx.device.logs) {
      const row = logRow(e, ctx.device.behaviour.isoDates);
      if (!filter || filter(row)) {
        ctx.out.re(row);
        n++;
      }
    }
  }
  if (!follow || ctx.caller.script) {
    if (n === 0 && ctx.device.behaviour.emptyReply) ctx.out.empty();
    ctx.out.done();
    return;
  }
  const off = ctx.device.onLog((e) => {
    const row = logRow(e, ctx.device.behaviour.isoDates);
    if (!ctx.out.ended && (!filter || filter(row))) ctx.out.re(row);
  });
  ctx.onCancel(off);
}

/** `/ip/neighbor`: what the fleet's world lets this device hear (world.ts); nothing outside a world. */
function neighborRows(ctx: CommandContext): Row[] {
  return ctx.device.world?.neighborRows(ctx.device, Date.now()) ?? [];
}

export const streamCommands: Record<string, Record<string, Handler>> = {
  '/interface': { 'monitor-traffic': monitorTraffic },
  '/log': { print: logPrint },
  '/ip/neighbor': computed(neighborRows),
  ...radioCommands,
};
