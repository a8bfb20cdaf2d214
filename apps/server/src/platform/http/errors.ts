// The error catalog: every error a client can see has a stable code. `detail` is for people; `code` is for programs.
export const errorCatalog = {
  bad_request: 400,
  reset_link_invalid: 400,
  invalid_csv: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  not_authenticated: 401,
  token_expired: 401,
  invalid_credentials: 401,
  invalid_refresh_token: 401,
  api_key_invalid: 401,
  account_disabled: 403,
  enrolment_required: 403,
  reauthentication_failed: 403,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  srp_required: 409,
  email_taken: 409,
  tenant_name_taken: 409,
  cannot_modify_self: 409,
  name_taken: 409,
  device_exists: 409,
  in_use: 409,
  body_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  not_ready: 503,
  email_not_configured: 503,
} as const;

export type ErrorCode = keyof typeof errorCatalog;

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
    this.status = errorCatalog[code];
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
