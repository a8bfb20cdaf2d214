// The error catalog: every error a client can see has a stable code. `detail` is for people; `code` is for programs.
// The platform owns the generic codes below; each feature declares its own in its <f>.feature.ts and adds them to
// `ErrorCodeTable` by declaration merging. The runtime registers them when it assembles the features and refuses a
// code declared twice.
export const platformErrors = {
  bad_request: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  not_authenticated: 401,
  api_key_invalid: 401,
  enrolment_required: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  name_taken: 409,
  in_use: 409,
  body_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  /** The key provider (OpenBao/Vault Transit) did not answer or refused TOD: secrets cannot be opened right now. */
  key_provider_unavailable: 503,
} as const;

/** Feature error code → HTTP status. Extended by each feature. */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in every feature
export interface ErrorCodeTable {}

export type ErrorCode = keyof typeof platformErrors | (keyof ErrorCodeTable & string);
export type ErrorDefs = Record<string, number>;

const catalog = new Map<string, { status: number; owner: string }>(
  Object.entries(platformErrors).map(([code, status]) => [code, { status, owner: 'platform' }]),
);

/** Adds a feature's error codes; the same feature may register again (tests assemble many apps per process). */
export function registerErrors(owner: string, defs: ErrorDefs): void {
  for (const [code, status] of Object.entries(defs)) {
    const had = catalog.get(code);
    if (had && had.owner !== owner) throw new Error(`error code ${code} is declared by both ${had.owner} and ${owner}`);
    catalog.set(code, { status, owner });
  }
}

/** Every code a client can see, with its status and owner (platform or a feature). */
export const errorCatalog = (): ReadonlyMap<string, { status: number; owner: string }> => catalog;

export type FieldError = { path: string; message: string };

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    detail: string,
    readonly fields?: FieldError[],
  ) {
    super(detail);
    this.name = 'AppError';
    const entry = catalog.get(code);
    // An unregistered code is a programming error: answer 500 rather than guess a status.
    this.status = entry?.status ?? 500;
  }
}

export const notFound = (what = 'resource') => new AppError('not_found', `${what} not found`);
export const forbidden = (detail = 'your role does not allow this') => new AppError('forbidden', detail);

/** Maps PostgreSQL unique violations to a 409 with a stable code. */
export function conflictFromPg(err: unknown, map: Record<string, readonly [ErrorCode, string]>): never {
  const e = err as { code?: string; constraint?: string };
  if (e.code === '23505' && e.constraint && map[e.constraint]) {
    const [code, detail] = map[e.constraint]!;
    throw new AppError(code, detail);
  }
  throw err;
}
