/**
 * Every item of a list paged by cursor: `get(query)`, then again with `&cursor=<next_cursor>` until a page has none.
 * At most `maxPages`, so a cursor that never ends fails the test instead of hanging it.
 */
export async function walkPages<T>(
  get: (query: string) => Promise<{ items: T[]; next_cursor?: string | null }>,
  query: string,
  maxPages = 100,
): Promise<T[]> {
  const seen: T[] = [];
  let cursor: string | null | undefined = null;
  for (let pages = 0; pages < maxPages; pages++) {
    const p = await get(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
    seen.push(...p.items);
    cursor = p.next_cursor;
    if (!cursor) return seen;
  }
  throw new Error(`still paging after ${maxPages} pages`);
}
