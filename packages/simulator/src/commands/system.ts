// `/system/*` commands whose answers are computed: resource, health, clock, license, reboot. Packages, updates
// and the RouterBOARD are in firmware.ts.
import { clockRow, healthRows, resourceRow } from '../live.js';
import { computed } from './computed.js';
import { type Handler, requirePolicy } from './context.js';
import { firmwareCommands } from './firmware.js';

export { computed } from './computed.js';

export const systemCommands: Record<string, Record<string, Handler>> = {
  '/system/resource': computed((ctx) => [resourceRow(ctx.device.live())]),
  '/system/health': computed((ctx) => healthRows(ctx.device.live())),
  '/system/clock': computed((ctx) => [clockRow(Date.now(), ctx.device.behaviour.isoDates)]),
  '/system/license': computed((ctx) => [{ 'software-id': ctx.device.softwareId, nlevel: '4', features: '' }]),
  ...firmwareCommands,
  '/system': {
    reboot(ctx) {
      requirePolicy(ctx, 'reboot');
      // RouterOS answers nothing: the connection drops as the device goes down.
      setImmediate(() => ctx.device.reboot());
    },
  },
};
