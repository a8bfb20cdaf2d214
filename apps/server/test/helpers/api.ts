import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { TestContext } from './context.js';
import { type Caller, headersFor, type Seed, type SeededTenant } from './seed.js';

type Body = InjectOptions['payload'];

export type Api = {
  get: (url: string) => Promise<LightMyRequestResponse>;
  post: (url: string, body?: Body) => Promise<LightMyRequestResponse>;
  patch: (url: string, body?: Body) => Promise<LightMyRequestResponse>;
  put: (url: string, body?: Body) => Promise<LightMyRequestResponse>;
  delete: (url: string) => Promise<LightMyRequestResponse>;
  /** The same caller's headers, for a raw `ctx.app.inject`. */
  headers: Record<string, string>;
};

/**
 * The one way tests call the API as someone: `apiAs(ctx, seed, 'operator').get(...)`. The caller acts in `tenant`
 * (default: the seed's tenant A); `super_admin` may act in any.
 */
export function apiAs(ctx: TestContext, seed: Seed, caller: Caller, tenant: SeededTenant = seed.a): Api {
  const headers = headersFor(seed, caller, tenant);
  const call = (method: InjectOptions['method'], url: string, payload?: Body) =>
    ctx.app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload }) });
  return {
    get: (url) => call('GET', url),
    post: (url, body) => call('POST', url, body),
    patch: (url, body) => call('PATCH', url, body),
    put: (url, body) => call('PUT', url, body),
    delete: (url) => call('DELETE', url),
    headers,
  };
}

/** The JSON of a response with the expected status, or a failure that shows the body. */
export function expectStatus<T = Record<string, unknown>>(r: LightMyRequestResponse, status: number): T {
  if (r.statusCode !== status) throw new Error(`expected ${status}, got ${r.statusCode}: ${r.body}`);
  return (r.body ? r.json() : undefined) as T;
}
