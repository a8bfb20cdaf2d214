// Print and get for menus whose rows are computed (resource, health, packages...), not kept in the store.
import { compileQuery, type Row } from '../query.js';
import { rowOf } from '../rows.js';
import { argFlag, type CommandContext, CommandError, type Handler } from './context.js';

/** A one-row computed menu shows the settings a loaded export gave it (`/system clock set time-zone-name=...`). */
function withSettings(ctx: CommandContext, computedRows: Row[]): Row[] {
  const item = ctx.device.store.menu(ctx.path, false)?.items[0];
  if (!item || computedRows.length !== 1) return computedRows;
  const settings = rowOf(
    ctx.device,
    ctx.path,
    { path: ctx.path, item },
    Date.now(),
    ctx.caller.policies.has('sensitive'),
  );
  return [{ ...computedRows[0], ...settings }];
}

/** print/get for a computed menu of rows. */
export function computed(computedRows: (ctx: CommandContext) => Row[]): Record<string, Handler> {
  const rows = (ctx: CommandContext) => withSettings(ctx, computedRows(ctx));
  return {
    print(ctx) {
      const filter = compileQuery(ctx.query);
      const all = rows(ctx).filter((r) => !filter || filter(r));
      if (argFlag(ctx, 'count-only')) {
        ctx.out.done({ ret: String(all.length) });
        return;
      }
      for (const r of all) {
        if (!ctx.proplist) ctx.out.re(r);
        else ctx.out.re(Object.fromEntries(ctx.proplist.filter((p) => p in r).map((p) => [p, r[p] as string])));
      }
      if (all.length === 0 && ctx.device.behaviour.emptyReply) ctx.out.empty();
      ctx.out.done();
    },
    get(ctx) {
      const name = ctx.args.get('value-name');
      const row = rows(ctx)[0];
      if (!name) throw new CommandError('value-name must be set', 1);
      if (!row || !(name in row)) throw new CommandError(`no such property: ${name}`, 1);
      ctx.out.done({ ret: row[name] as string });
    },
  };
}
