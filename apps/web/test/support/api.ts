import { checkServerProof, enrol, formatSecretKey, newSecretKey, signInProof } from '@tod/srp';
import createClient, { type Client } from 'openapi-fetch';
import { unwrap } from '../../src/api/client';
import { createRefreshingFetch } from '../../src/api/refresh';
import type { paths } from '../../src/api/schema';

// The API as a test calls it: the app's own typed client (openapi-fetch over src/api/schema.ts) and its session
// refresh, with cookies kept the way a browser keeps them, so a session can also be handed to Chromium.

export { unwrap };

/** What a person needs to sign in: the password they chose at enrolment and their Secret Key. */
export type Account = { email: string; password: string; secretKey: string };

type Cookie = { name: string; value: string; path: string };

export class ApiSession {
  private readonly jar = new Map<string, Cookie>();
  readonly api: Client<paths>;

  constructor(readonly baseUrl: string) {
    const refreshing = createRefreshingFetch({ fetch: (r) => this.send(r) });
    this.api = createClient<paths>({ baseUrl, fetch: refreshing });
  }

  private async send(request: Request): Promise<Response> {
    const headers = new Headers(request.headers);
    const path = new URL(request.url).pathname;
    const cookie = [...this.jar.values()]
      .filter((c) => path.startsWith(c.path))
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(new Request(request, { headers }));
    for (const line of res.headers.getSetCookie()) this.keep(line);
    return res;
  }

  private keep(setCookie: string) {
    const [pair = '', ...attrs] = setCookie.split(';').map((s) => s.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    const attr = (n: string) =>
      attrs.find((a) => a.toLowerCase().startsWith(`${n}=`))?.slice(n.length + 1) ?? undefined;
    if (!value || attr('max-age') === '0' || /1970/.test(attr('expires') ?? '')) this.jar.delete(name);
    else this.jar.set(name, { name, value, path: attr('path') ?? '/' });
  }

  /** The session's cookies for Playwright (`storageState` or `context.addCookies`). */
  cookies() {
    const { hostname } = new URL(this.baseUrl);
    return [...this.jar.values()].map((c) => ({
      ...c,
      domain: hostname,
      expires: -1,
      httpOnly: true,
      secure: false,
      sameSite: 'Strict' as const,
    }));
  }
}

/** A temporary password (bootstrap, new or reset account): an enrol-only session. */
export async function passwordSession(baseUrl: string, email: string, password: string) {
  const s = new ApiSession(baseUrl);
  await unwrap(s.api.POST('/api/auth/login', { body: { email, password } }));
  return s;
}

/**
 * Enrolment as the browser does it: a new Secret Key, a verifier for `password` registered with the enrol-only
 * session, which the server then promotes to a full one. Costs one PBKDF2 (650,000 rounds, about a second).
 */
export async function enrolAccount(session: ApiSession, email: string, password: string): Promise<Account> {
  const key = newSecretKey();
  const reg = await enrol({ email, password, secretKey: key });
  await unwrap(session.api.POST('/api/auth/register-srp', { body: reg }));
  return { email, password, secretKey: formatSecretKey(key) };
}

/** SRP sign-in with password and Secret Key: a full session (one PBKDF2). */
export async function signInApi(baseUrl: string, account: Account): Promise<ApiSession> {
  const s = new ApiSession(baseUrl);
  const init = await unwrap(s.api.POST('/api/auth/srp/init', { body: { email: account.email } }));
  const proof = await signInProof({ ...account, init });
  const out = await unwrap(
    s.api.POST('/api/auth/srp/verify', { body: { session_id: init.session_id, A: proof.A, M1: proof.M1 } }),
  );
  if (!checkServerProof(proof.expectedM2, out.M2)) throw new Error('the server did not prove the verifier');
  return s;
}
