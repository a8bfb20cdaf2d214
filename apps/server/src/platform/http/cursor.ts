import { z } from 'zod';
import { AppError } from './errors.js';

// Keyset pagination cursors: an opaque token naming the sort it was made for and where the next page starts
// (the last row's sort value and id). A list that walks an index this way costs the same on every page, where an
// offset costs as many rows as it skips.

export type Cursor = { s: string; k: string; id: string };

export const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');

const shape = z.object({ s: z.string().max(100), k: z.string().max(1000), id: z.uuid() });

/** The `cursor` query parameter: decoded, or a 422 naming it. */
export const cursorQuery = z
  .string()
  .max(2000)
  .transform((raw, ctx) => {
    try {
      return shape.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not a cursor this API gave out' });
      return z.NEVER;
    }
  });

/** A cursor key that is PostgreSQL's text of a timestamp, to the microsecond (a forged one is a 422, not a 500). */
export const TIME_KEY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?[+-]\d\d(:\d\d){0,2}$/;

/** The `cursor` parameter of one list: a cursor that list gave out (it names it), with a key `key` accepts. */
export const listCursor = (list: string, key: RegExp = /^/) =>
  cursorQuery.refine((c) => c.s === list && key.test(c.k), 'a cursor of another list');

/** The 422 for a cursor whose key does not parse (lists whose key is more than one value). */
export const foreignCursor = () =>
  new AppError('validation_failed', 'cursor: not a cursor this list gave out', [
    { path: 'querystring.cursor', message: 'not a cursor of this list' },
  ]);

/** A list's total stops counting here; past it the total is a lower bound (`total_exact: false`). */
export const COUNT_CAP = 10_000;

/** The total and whether it is exact, from a count that stopped after COUNT_CAP + 1 rows. */
export const cappedTotal = (n: number) => ({ total: Math.min(n, COUNT_CAP), total_exact: n <= COUNT_CAP });
