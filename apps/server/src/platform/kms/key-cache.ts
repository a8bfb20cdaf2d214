// Unwrapped data keys in memory: bounded in entries (KMS_KEY_CACHE_SIZE) and in time (KMS_KEY_CACHE_TTL_SECONDS),
// least recently stored first out. Concurrent misses of one entry share one load, so 10,000 poller sessions opening
// at once after a restart cost the key provider one unwrap, not 10,000.

/** A data key, its version, and the provider that wrapped it (the key-access log names both). */
export type CachedKey = { key: Buffer; version: number; provider: string };

export function createKeyCache(opts: { maxEntries: number; ttlMs: number }) {
  const entries = new Map<string, CachedKey & { until: number }>();
  const loading = new Map<string, Promise<CachedKey>>();

  function put(id: string, k: CachedKey) {
    if (opts.maxEntries <= 0 || opts.ttlMs <= 0) return;
    entries.delete(id);
    while (entries.size >= opts.maxEntries) entries.delete(entries.keys().next().value!);
    entries.set(id, { ...k, until: Date.now() + opts.ttlMs });
  }

  return {
    get(id: string): CachedKey | undefined {
      const hit = entries.get(id);
      if (!hit) return undefined;
      if (hit.until > Date.now()) return hit;
      entries.delete(id);
      return undefined;
    },
    put,
    /** The cached entry, or `load()` once for every concurrent caller; `loaded` is true for the caller that loaded. */
    async through(id: string, load: () => Promise<CachedKey>): Promise<{ key: CachedKey; loaded: boolean }> {
      const hit = this.get(id);
      if (hit) return { key: hit, loaded: false };
      const running = loading.get(id);
      if (running) return { key: await running, loaded: false };
      const p = load().finally(() => loading.delete(id));
      loading.set(id, p);
      const key = await p;
      put(id, key);
      return { key, loaded: true };
    },
    delete(id: string) {
      entries.delete(id);
    },
    get size() {
      return entries.size;
    },
  };
}
export type KeyCache = ReturnType<typeof createKeyCache>;
