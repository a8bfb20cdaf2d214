import type pg from 'pg';

// Prepared statements per connection. PostgreSQL plans an unnamed statement on every execution, and under row-level
// security with 8 busy connections on 2 cores that planning cost 1.5 ms of the fleet summary's 1.9 ms (measured in
// issue 18). A named statement is parsed and planned once per connection, then only bound and executed.
//
// Every data statement (select, with, insert, update, delete) on the wrapped pools gets a name, the same text on the
// same connection the same name. Each connection keeps at most `size` of them: the least recently used is
// deallocated, and a name is never reused, so a failed DEALLOCATE (in an aborted transaction) can only leave an
// unused statement behind until the connection closes.

const DATA_STATEMENT = /^\s*(select|with|insert|update|delete)\b/i;

type Cache = { names: Map<string, string>; next: number };
const caches = new WeakMap<pg.ClientBase, Cache>();

/** Whether `text` may be prepared: a single data statement (no `;`, so never two statements). */
export function preparable(text: string): boolean {
  return DATA_STATEMENT.test(text) && !text.includes(';');
}

/** The name of `text` on this connection, preparing it anew (and evicting the oldest) when it is not cached. */
function nameFor(client: pg.ClientBase, text: string, size: number): string {
  let c = caches.get(client);
  if (!c) {
    c = { names: new Map(), next: 0 };
    caches.set(client, c);
  }
  const known = c.names.get(text);
  if (known) {
    // Most recently used last: Map keeps insertion order.
    c.names.delete(text);
    c.names.set(text, known);
    return known;
  }
  if (c.names.size >= size) {
    const [oldText, oldName] = c.names.entries().next().value as [string, string];
    c.names.delete(oldText);
    // Queued behind whatever the connection is running now; harmless if it fails.
    client.query(`deallocate "${oldName}"`).catch(() => {});
  }
  const name = `tod_${++c.next}`;
  c.names.set(text, name);
  return name;
}

/** A pool whose clients prepare their data statements (size 0: a pool left as it is). */
export function cacheStatements(pool: pg.Pool, size: number): pg.Pool {
  if (size <= 0) return pool;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...a: unknown[]) => unknown;
    // biome-ignore lint/suspicious/noExplicitAny: pg's query has many overloads; this forwards all of them
    (client as any).query = (first: unknown, ...rest: unknown[]) => {
      if (typeof first === 'string' && preparable(first)) {
        const values = Array.isArray(rest[0]) ? (rest.shift() as unknown[]) : undefined;
        return named(query, client, { text: first, values }, rest, size);
      }
      if (isPlainConfig(first) && first.name === undefined && preparable(first.text))
        return named(query, client, first, rest, size);
      return query(first, ...rest);
    };
  });
  return pool;
}

/**
 * Runs `q` as a named statement. A statement prepared before a migration changed its tables fails once with
 * "cached plan must not change result type" (0A000): it is then forgotten, so the next run prepares it again.
 */
function named(
  query: (...a: unknown[]) => unknown,
  client: pg.ClientBase,
  q: pg.QueryConfig,
  rest: unknown[],
  size: number,
) {
  const forgetIfStale = (err: unknown) => {
    if ((err as { code?: string } | null)?.code === '0A000') caches.get(client)?.names.delete(q.text);
  };
  const last = rest.at(-1);
  if (typeof last === 'function')
    rest[rest.length - 1] = (err: unknown, res: unknown) => {
      forgetIfStale(err);
      last(err, res);
    };
  const r = query({ ...q, name: nameFor(client, q.text, size) }, ...rest);
  if (r instanceof Promise)
    return r.catch((err) => {
      forgetIfStale(err);
      throw err;
    });
  return r;
}

/** A query config object (not a Submittable such as a cursor, which runs its own protocol). */
function isPlainConfig(q: unknown): q is pg.QueryConfig & { name?: string } {
  return (
    typeof q === 'object' &&
    q !== null &&
    typeof (q as { text?: unknown }).text === 'string' &&
    typeof (q as { submit?: unknown }).submit !== 'function'
  );
}
