// Each device's JSON (as a list shows it, without the caller's `policies`), kept per api process by the row version
// it was built from: PostgreSQL's xmin of the devices row, which any change of the device, its tags or its groups
// renews (migration 074). A page then asks PostgreSQL only for its ids and versions, and builds the JSON of the rows
// that changed since: building 100 rows' JSON was most of a page's cost (issue 18). A device polled every minute
// is rebuilt at most once a minute, however many screens show it.

export type DeviceJsonCache = {
  /** The JSON (without its closing brace) of `id` at version `v` with these fields, if kept. */
  get(fields: string, id: string, v: string): string | undefined;
  set(fields: string, id: string, v: string, json: string): void;
  readonly size: number;
};

/**
 * At most `max` entries (about 1 KB each for full rows, a quarter of that for the table's fields); the least
 * recently written go first.
 */
export function createDeviceJsonCache(max = 50_000): DeviceJsonCache {
  const entries = new Map<string, { v: string; json: string }>();
  return {
    get(fields, id, v) {
      const e = entries.get(`${fields}|${id}`);
      return e?.v === v ? e.json : undefined;
    },
    set(fields, id, v, json) {
      const key = `${fields}|${id}`;
      // Re-inserted, so the Map's order is the order of last writes.
      entries.delete(key);
      if (entries.size >= max) entries.delete(entries.keys().next().value as string);
      entries.set(key, { v, json });
    },
    get size() {
      return entries.size;
    },
  };
}
