import type { LiveHandler, LiveMessage } from './types.js';

/** Per-tenant handler sets in this process. A throwing handler is isolated from the others. */
export class TenantFanout {
  private readonly handlers = new Map<string, Set<LiveHandler>>();

  add(tenantId: string, handler: LiveHandler): { first: boolean; remove: () => boolean } {
    let set = this.handlers.get(tenantId);
    const first = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(tenantId, set);
    }
    set.add(handler);
    return {
      first,
      // Returns true when this was the tenant's last handler.
      remove: () => {
        const s = this.handlers.get(tenantId);
        if (!s?.delete(handler)) return false;
        if (s.size > 0) return false;
        this.handlers.delete(tenantId);
        return true;
      },
    };
  }

  deliver(msg: LiveMessage): void {
    const set = this.handlers.get(msg.tenantId);
    if (!set) return;
    for (const h of [...set]) {
      try {
        h(msg);
      } catch {
        // one subscriber's bug must not break the others
      }
    }
  }

  get tenants(): number {
    return this.handlers.size;
  }
}
