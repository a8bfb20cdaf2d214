import { z } from 'zod';

// Shared request/response pieces. Bodies are strict: an unknown field is a 422, not silently dropped.
export const errorBody = z.object({
  detail: z.string(),
  code: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const tenantParams = z.strictObject({ tenant_id: z.uuid() });
export const idParams = (name: string) => z.strictObject({ tenant_id: z.uuid(), [name]: z.uuid() });

export const listQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
};

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

export const timestamp = z.iso.datetime();
export const nullableTimestamp = z.iso.datetime().nullable();

type Jsonified<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** Database rows carry Dates; API responses carry ISO-8601 strings. */
export function jsonDates<T extends object>(row: T): Jsonified<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out as Jsonified<T>;
}

export const email = z
  .email()
  .max(320)
  .transform((s) => s.toLowerCase());
export const password = z.string().min(12, 'at least 12 characters').max(1024);
export const name = z.string().trim().min(1).max(200);

/** Error responses documented on every route. */
export const errorResponses = {
  400: errorBody,
  401: errorBody,
  403: errorBody,
  404: errorBody,
  409: errorBody,
  422: errorBody,
  429: errorBody,
};
