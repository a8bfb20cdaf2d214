import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type pg from 'pg';

// Which device a syslog packet comes from: its source address against the devices' hosts. IP literals map
// directly; host names are resolved at each refresh (their last good answer is kept while a lookup fails). An
// address that is the host of devices in two organisations (overlapping private networks behind one NAT) is
// ambiguous: its lines are dropped rather than guessed into the wrong organisation.

export type Source = { tenantId: string; deviceId: string };

/** `::ffff:192.0.2.1` → `192.0.2.1`; IPv6 in lower case, without a zone. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase().replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(a);
  return mapped ? (mapped[1] as string) : a;
}

const LOOKUP_TIMEOUT_MS = 2000;
const LOOKUP_CONCURRENCY = 16;

async function resolveAll(host: string): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS);
  });
  try {
    const r = await Promise.race([lookup(host, { all: true }), timeout]);
    return r.map((x) => normalizeAddress(x.address));
  } finally {
    clearTimeout(timer);
  }
}

export class SourceMap {
  /** Address → its device, or null when several organisations' devices have it. */
  private map = new Map<string, Source | null>();
  private resolved = new Map<string, string[]>();

  lookup(address: string): Source | null | undefined {
    return this.map.get(normalizeAddress(address));
  }

  get size(): number {
    return this.map.size;
  }

  /** Reads every device's host (cross-tenant by design: the system role) and rebuilds the map. */
  async refresh(system: pg.Pool): Promise<void> {
    const rows = (
      await system.query<{ id: string; tenant_id: string; host: string }>('select id, tenant_id, host from devices')
    ).rows;
    const names = [...new Set(rows.map((r) => r.host.trim().toLowerCase()).filter((h) => h && isIP(h) === 0))];
    for (let i = 0; i < names.length; i += LOOKUP_CONCURRENCY) {
      await Promise.all(
        names.slice(i, i + LOOKUP_CONCURRENCY).map(async (name) => {
          try {
            this.resolved.set(name, await resolveAll(name));
          } catch {
            // Keep the last good answer; a name never resolved simply maps nothing.
          }
        }),
      );
    }
    for (const name of this.resolved.keys()) if (!names.includes(name)) this.resolved.delete(name);
    const next = new Map<string, Source | null>();
    for (const r of rows) {
      const host = r.host.trim().toLowerCase();
      const addresses = isIP(host) !== 0 ? [normalizeAddress(host)] : (this.resolved.get(host) ?? []);
      for (const a of addresses) {
        const had = next.get(a);
        if (had === undefined) next.set(a, { tenantId: r.tenant_id, deviceId: r.id });
        else if (had !== null && had.tenantId !== r.tenant_id) next.set(a, null);
        // Two devices of one organisation at one address (a router added twice): the first keeps it.
      }
    }
    this.map = next;
  }
}
