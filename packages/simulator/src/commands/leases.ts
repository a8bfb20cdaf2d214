// `/ip/dhcp-server/lease make-static`: a dynamic lease becomes a static one with the same address, MAC address and
// server (what RouterOS keeps; the host name is the client's, not configuration). Static leases are left as they are.
import { countChange } from '../safe-mode.js';
import { type CommandContext, requirePolicy } from './context.js';
import { resolve } from './menu.js';

const KEPT = ['address', 'mac-address', 'client-id', 'server'];

export const leaseCommands: Record<string, Record<string, (ctx: CommandContext) => void>> = {
  '/ip/dhcp-server/lease': {
    'make-static'(ctx) {
      requirePolicy(ctx, 'write');
      const targets = resolve(ctx);
      let changed = false;
      for (const e of targets) {
        if (!e.item.dynamic) continue;
        const props = new Map(KEPT.flatMap((k) => (e.item.fixed?.has(k) ? [[k, e.item.fixed.get(k) as string]] : [])));
        e.item.dynamic = false;
        e.item.fixed = undefined;
        ctx.device.store.set(e.path, e.item, props as Map<string, string>);
        changed = true;
      }
      if (changed) countChange(ctx.device);
      ctx.out.done();
    },
  },
};
