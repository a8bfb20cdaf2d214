import { z } from 'zod';

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
