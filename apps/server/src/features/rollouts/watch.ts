import type { OperationRow } from '../changes/operations.repo.js';

// Follows the change operations a process's rollout steps wait on: one query per tenant per tick for all of them,
// rather than one loop per device.

const FINAL = new Set(['confirmed', 'reverted', 'failed']);

export function createOperationWatch(deps: {
  read: (tenantId: string, ids: readonly string[]) => Promise<OperationRow[]>;
  intervalMs: number;
  onError: (err: unknown) => void;
}) {
  type Waiter = { tenantId: string; resolve: (o: OperationRow) => void; reject: (e: unknown) => void };
  const waiting = new Map<string, Waiter[]>();
  let timer: NodeJS.Timeout | undefined;

  async function check() {
    const byTenant = new Map<string, string[]>();
    for (const [id, ws] of waiting) {
      const t = ws[0]?.tenantId as string;
      byTenant.set(t, [...(byTenant.get(t) ?? []), id]);
    }
    for (const [tenantId, ids] of byTenant) {
      const rows = await deps.read(tenantId, ids);
      for (const o of rows) {
        if (!FINAL.has(o.status)) continue;
        for (const w of waiting.get(o.id) ?? []) w.resolve(o);
        waiting.delete(o.id);
      }
    }
  }

  function schedule() {
    if (timer || waiting.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      check().catch(deps.onError).finally(schedule);
    }, deps.intervalMs);
  }

  return {
    /** The operation once it has ended; rejects when `signal` aborts first. */
    wait(tenantId: string, id: string, signal: AbortSignal): Promise<OperationRow> {
      return new Promise((resolve, reject) => {
        if (signal.aborted) return reject(signal.reason);
        const entry: Waiter = {
          tenantId,
          resolve: (o) => {
            signal.removeEventListener('abort', drop);
            resolve(o);
          },
          reject,
        };
        function drop() {
          const left = (waiting.get(id) ?? []).filter((x) => x !== entry);
          if (left.length) waiting.set(id, left);
          else waiting.delete(id);
          reject(signal.reason);
        }
        signal.addEventListener('abort', drop, { once: true });
        waiting.set(id, [...(waiting.get(id) ?? []), entry]);
        schedule();
      });
    },
    stop() {
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
export type OperationWatch = ReturnType<typeof createOperationWatch>;
