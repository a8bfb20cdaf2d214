import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { LiveData, LiveType } from './types';

/**
 * A write to the API and the cached reads it makes stale. Each resource module (src/api/<resource>.ts) declares
 * its writes with this, beside its query keys, so a page never decides what to refetch after a change.
 */
export type ApiMutation<V, R> = {
  run: (v: V) => Promise<R>;
  /** Query keys (prefixes) whose cached data the write changed. */
  invalidates: (v: V, r: R) => readonly QueryKey[];
};

export const mutation = <V, R>(m: ApiMutation<V, R>): ApiMutation<V, R> => m;

/**
 * What live messages (GET …/stream, `event: <type>`) make stale, by message type: declared by a resource module
 * beside its keys, plugged in by a feature (`live` in its feature.ts), applied by features/fleet/live.ts.
 */
export type LiveInvalidations = {
  [T in LiveType]?: (tenantId: string, message: LiveData<T>) => readonly QueryKey[];
};

/**
 * Marks what a write changed as stale. Queries on screen refetch now; the others refetch when next read (route
 * guards read with `fetchQuery`, which honours this).
 */
export async function invalidate(queryClient: QueryClient, keys: readonly QueryKey[]) {
  await Promise.all(keys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/** A write outside a component (a multi-step flow): the same call and the same invalidations. */
export async function runMutation<V, R>(queryClient: QueryClient, m: ApiMutation<V, R>, v: V): Promise<R> {
  const r = await m.run(v);
  await invalidate(queryClient, m.invalidates(v, r));
  return r;
}
