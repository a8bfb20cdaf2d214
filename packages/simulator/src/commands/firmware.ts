// `/system/package` (print, downgrade), `/system/package/update` (channel, check-for-updates, download, install)
// and `/system/routerboard` (print, upgrade). Streaming answers number their rows with `.section`, as RouterOS's
// update commands do. Scripts (`/import`, scheduler) start the work and go on without waiting for it.
import type { Device } from '../device.js';
import { channelOf, channelsOf, firmwareOf, installedPackages, isRouterboard, UPDATE_MENU } from '../firmware.js';
import { FIRMWARE_UPGRADED } from '../firmware-boot.js';
import {
  checkForUpdates,
  DOWNLOADED,
  download,
  type Outcome,
  type Progress,
  REBOOTING,
  updateRow,
} from '../firmware-download.js';
import { routerboardRow } from '../live.js';
import type { Row } from '../query.js';
import { formatId } from '../values.js';
import { computed } from './computed.js';
import { type CommandContext, CommandError, type Handler, requirePolicy } from './context.js';

function packageRows(ctx: CommandContext): Row[] {
  const d = ctx.device;
  const build = d.behaviour.v7 ? '2024-09-20 13:00:27' : 'sep/20/2021 13:00:27';
  return installedPackages(d).map((name, i) => ({
    '.id': formatId(i + 1),
    name,
    version: d.version.text,
    'build-time': build,
    scheduled: '',
    disabled: 'false',
  }));
}

function routerboardRows(ctx: CommandContext): Row[] {
  const d = ctx.device;
  if (!isRouterboard(d)) return [{ routerboard: 'false' }];
  return [{ ...routerboardRow(d.live()), 'current-firmware': firmwareOf(d).currentFirmware }];
}

/** Streams status lines as update rows until the last one (`final` rewords it), then `!done`. */
function streamer(ctx: CommandContext, final?: (status: string, end: Outcome) => string): Progress {
  let section = 0;
  return (status, end) => {
    if (ctx.out.ended) return;
    const shown = end && final ? final(status, end) : status;
    ctx.out.re({ ...updateRow(ctx.device, shown), '.section': String(section++) });
    if (end) ctx.out.done();
  };
}

function setChannel(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const d = ctx.device;
  for (const k of ctx.args.keys())
    if (k !== 'channel' && k !== 'numbers') throw new CommandError(`unknown parameter ${k}`);
  const channel = ctx.args.get('channel');
  if (channel !== undefined) {
    if (!channelsOf(d).includes(channel)) throw new CommandError('input does not match any value of channel', 1);
    const before = channelOf(d);
    const item = d.store.singleton(UPDATE_MENU);
    // stable is the default: a compact export leaves it out.
    if (channel === 'stable') d.store.unset(UPDATE_MENU, item, ['channel']);
    else d.store.set(UPDATE_MENU, item, new Map([['channel', channel]]));
    // What was found out about another channel no longer holds.
    if (channel !== before) firmwareOf(d).update = {};
    d.log('system,info', `package update changed by ${ctx.caller.userName}`);
  }
  ctx.out.done();
}

function rebootWhenDownloaded(d: Device): Progress {
  return (_status, end) => {
    if (end === 'downloaded') setImmediate(() => d.reboot());
  };
}

export const firmwareCommands: Record<string, Record<string, Handler>> = {
  '/system/package': {
    ...computed(packageRows),
    downgrade(ctx) {
      requirePolicy(ctx, 'reboot');
      // Over the API there is no "Router will be rebooted. Continue?" prompt: it reboots, answering nothing.
      setImmediate(() => ctx.device.reboot(undefined, 'downgrade'));
    },
  },
  [UPDATE_MENU]: {
    ...computed((ctx) => [updateRow(ctx.device)]),
    set: setChannel,
    'check-for-updates'(ctx) {
      if (ctx.caller.script) {
        void checkForUpdates(ctx.device, () => {});
        ctx.out.done();
        return;
      }
      void checkForUpdates(ctx.device, streamer(ctx));
    },
    download(ctx) {
      requirePolicy(ctx, 'write');
      if (ctx.caller.script) {
        download(ctx.device, () => {});
        ctx.out.done();
        return;
      }
      ctx.onCancel(download(ctx.device, streamer(ctx)));
    },
    install(ctx) {
      requirePolicy(ctx, 'write');
      requirePolicy(ctx, 'reboot');
      const d = ctx.device;
      if (!ctx.caller.script) {
        const say = streamer(ctx, (status, end) =>
          end === 'downloaded' && status === DOWNLOADED ? REBOOTING : status,
        );
        ctx.onCancel(download(d, say));
      } else ctx.out.done();
      // The reboot belongs to the router's job, not to the session: it happens even if the client went away.
      download(d, rebootWhenDownloaded(d));
    },
  },
  '/system/routerboard': {
    ...computed(routerboardRows),
    upgrade(ctx) {
      requirePolicy(ctx, 'write');
      const d = ctx.device;
      if (!isRouterboard(d)) throw new CommandError('no such command');
      // The CLI asks "Do you really want to upgrade firmware? [y/n]"; the API just does it.
      firmwareOf(d).pendingFirmware = d.version.text;
      d.log('system,info,critical', FIRMWARE_UPGRADED);
      ctx.out.done();
    },
  },
};
