import createClient from 'openapi-fetch';
import { toApiError } from './errors';
import { createRefreshingFetch } from './refresh';
import type { paths } from './schema';

let sessionLost: () => void = () => {};
/** The app registers what to do when the session cannot be renewed (clear caches, go to sign-in). */
export function onSessionLost(fn: () => void) {
  sessionLost = fn;
}

/** The typed API client: same origin, cookies sent, expired access tokens renewed transparently. */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? 'http://localhost' : window.location.origin,
  credentials: 'include',
  fetch: createRefreshingFetch({ onSessionLost: () => sessionLost() }),
});

type Result<T> = { data?: T; error?: unknown; response: Response };

/** Data of a successful call, or an ApiError carrying the server's `{detail, code}`. */
export async function unwrap<T>(call: Promise<Result<T>>): Promise<T> {
  let r: Result<T>;
  try {
    r = await call;
  } catch {
    throw toApiError(0, undefined);
  }
  if (!r.response.ok) throw toApiError(r.response.status, r.error);
  return r.data as T;
}
