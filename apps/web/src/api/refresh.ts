// Session upkeep for every API call: an access token that expired is renewed once with POST /api/auth/refresh
// (the refresh cookie) and the request is retried. Besides `token_expired`, `not_authenticated` triggers it too:
// the access cookie's max-age equals the token's lifetime, so after expiry the browser sends no token at all. Concurrent 401s share one refresh (single flight), because a
// refresh token presented twice revokes the whole session.

export type RefreshingFetch = (input: Request) => Promise<Response>;

export type RefreshOptions = {
  /** Base fetch; defaults to the global one. */
  fetch?: (input: Request) => Promise<Response>;
  /** Absolute or relative URL of the refresh endpoint. */
  refreshUrl?: string;
  /** Called when the refresh itself fails: the session is gone and the user must sign in again. */
  onSessionLost?: () => void;
};

async function errorCode(res: Response): Promise<string | undefined> {
  try {
    const body = (await res.clone().json()) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : undefined;
  } catch {
    return undefined;
  }
}

export function createRefreshingFetch(opts: RefreshOptions = {}): RefreshingFetch {
  const base = opts.fetch ?? ((r: Request) => globalThis.fetch(r));
  const refreshUrl = opts.refreshUrl ?? '/api/auth/refresh';
  let inflight: Promise<boolean> | null = null;
  // Bumped by each successful refresh: a request sent before it only needs a retry, not another refresh.
  let generation = 0;

  const refreshOnce = (origin: string): Promise<boolean> => {
    inflight ??= (async () => {
      try {
        const res = await base(
          new Request(new URL(refreshUrl, origin), {
            method: 'POST',
            credentials: 'include',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          }),
        );
        if (res.ok) generation++;
        else opts.onSessionLost?.();
        return res.ok;
      } catch {
        return false;
      } finally {
        // Let the next expiry (15 minutes on) start a fresh refresh.
        queueMicrotask(() => {
          inflight = null;
        });
      }
    })();
    return inflight;
  };

  return async (request) => {
    // Keep a pristine copy: the body of the first attempt is consumed by sending it.
    const retry = request.clone();
    const sentAt = generation;
    const res = await base(request);
    if (res.status !== 401 || new URL(request.url).pathname === new URL(refreshUrl, request.url).pathname) return res;
    const code = await errorCode(res);
    if (code !== 'token_expired' && code !== 'not_authenticated') return res;
    if (sentAt === generation && !(await refreshOnce(request.url))) return res;
    return base(retry);
  };
}
