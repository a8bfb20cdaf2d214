// `/system/*` commands whose answers are computed: resource, health, routerboard, clock, packages, reboot.
import { clockRow, healthRows, resourceRow, routerboardRow } from '../live.js';
import { compileQuery, type Row } from '../query.js';
import { rowOf } from '../rows.js';
import { argFlag, type CommandContext, CommandError, type Handler, requirePolicy } from './context.js';

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

const updateChecked = new WeakMap<object, boolean>();

function updateRow(ctx: CommandContext): Row {
  const d = ctx.device;
  const row: Row = { channel: 'stable', 'installed-version': d.version.text };
  if (updateChecked.get(d)) {
    row['latest-version'] = d.latestVersion;
    row.status = d.latestVersion === d.version.text ? 'System is already up to date' : 'New version is available';
  }
  return row;
}

function packageRows(ctx: CommandContext): Row[] {
  const d = ctx.device;
  const build = d.behaviour.v7 ? '2024-09-20 13:00:27' : 'sep/20/2021 13:00:27';
  const names = d.behaviour.v7
    ? ['routeros', 'wifi-qcom-ac']
    : ['system', 'wireless', 'dhcp', 'routing', 'security', 'ppp'];
  return names.map((name, i) => ({
    '.id': `*${(i + 1).toString(16).toUpperCase()}`,
    name,
    version: d.version.text,
    'build-time': build,
    scheduled: '',
    disabled: 'false',
  }));
}

export const systemCommands: Record<string, Record<string, Handler>> = {
  '/system/resource': computed((ctx) => [resourceRow(ctx.device.live())]),
  '/system/health': computed((ctx) => healthRows(ctx.device.live())),
  '/system/routerboard': computed((ctx) => [routerboardRow(ctx.device.live())]),
  '/system/clock': computed((ctx) => [clockRow(Date.now(), ctx.device.behaviour.isoDates)]),
  '/system/package': computed(packageRows),
  '/system/license': computed((ctx) => [
    ctx.device.behaviour.v7
      ? { 'software-id': ctx.device.softwareId, nlevel: '4', features: '' }
      : { 'software-id': ctx.device.softwareId, nlevel: '4', features: '' },
  ]),
  '/system/package/update': {
    ...computed((ctx) => [updateRow(ctx)]),
    'check-for-updates'(ctx) {
      updateChecked.set(ctx.device, true);
      ctx.out.re({ ...updateRow(ctx), status: 'finding out latest version...' });
      ctx.out.re(updateRow(ctx));
      ctx.out.done();
    },
  },
  '/system': {
    reboot(ctx) {
      requirePolicy(ctx, 'reboot');
      // RouterOS answers nothing: the connection drops as the device goes down.
      setImmediate(() => ctx.device.reboot());
    },
  },
};
