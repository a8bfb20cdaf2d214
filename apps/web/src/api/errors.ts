/** Every API error has this shape (apps/server/src/platform/http/errors.ts); `errors` only on validation failures. */
export type ApiErrorBody = { detail: string; code: string; errors?: { path: string; message: string }[] };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fieldErrors: { path: string; message: string }[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /** The message for one form field (`body.email` → "email"), if the server named it. */
  field(name: string): string | undefined {
    return this.fieldErrors.find((e) => e.path === `body.${name}` || e.path === name)?.message;
  }
}

/** Turns whatever came back into an ApiError; a body that is not `{detail, code}` still gets a useful message. */
export function toApiError(status: number, body: unknown): ApiError {
  if (body && typeof body === 'object' && 'code' in body && 'detail' in body) {
    const b = body as ApiErrorBody;
    return new ApiError(status, String(b.code), String(b.detail), b.errors ?? []);
  }
  if (status === 0) return new ApiError(0, 'network_error', 'the server could not be reached');
  return new ApiError(status, 'http_error', `the server answered ${status}`);
}
