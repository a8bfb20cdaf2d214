import { KmsError } from './provider.js';

// The HTTP side of the Transit provider: OpenBao's (and Vault's) API at `<addr>/v1/<mount>/…`, authenticated with the
// X-Vault-Token header. Every call has a deadline and a bounded reply; failures are KmsErrors that name the server's
// origin and what it said, never the token (which lives only in this closure and the request header).

export type TransitClientOptions = {
  /** OPENBAO_ADDR: `https://bao.example:8200` (a path prefix is kept). */
  addr: string;
  token: string;
  timeoutMs: number;
  /** Larger replies are refused (Transit's replies are a few hundred bytes). */
  maxReplyBytes?: number;
};

export type TransitClient = {
  readonly origin: string;
  call(method: 'GET' | 'POST', path: string, body?: Record<string, unknown>): Promise<Record<string, unknown> | null>;
};

const MAX_REPLY = 64 * 1024;

/** A 4xx/5xx other than 401/403: the provider decides what it means (a 400 from decrypt is a key that does not open). */
export class TransitRefusal extends KmsError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super('provider_failed', message);
  }
}

/** What OpenBao said in `{"errors": [...]}`, one line, bounded, and with the token masked should it ever be echoed. */
function serverSays(text: string, token: string): string {
  let said = '';
  try {
    const errors = (JSON.parse(text) as { errors?: unknown }).errors;
    if (Array.isArray(errors)) said = errors.filter((e) => typeof e === 'string').join('; ');
  } catch {}
  said = said.replaceAll(token, '[token]').replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return said.length > 200 ? `${said.slice(0, 200)}…` : said;
}

function unreachable(origin: string, err: unknown, timeoutMs: number): KmsError {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  const why =
    e.name === 'TimeoutError' || e.name === 'AbortError'
      ? `no reply within ${timeoutMs / 1000} s`
      : e.cause?.code === 'ECONNREFUSED'
        ? 'connection refused'
        : e.cause?.code === 'ENOTFOUND' || e.cause?.code === 'EAI_AGAIN'
          ? 'host name not found'
          : (e.cause?.code ?? 'connection failed');
  return new KmsError('provider_unreachable', `OpenBao at ${origin} is unreachable: ${why}`);
}

async function readBounded(res: Response, max: number, origin: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) {
    await res.body?.cancel();
    throw new KmsError('provider_failed', `OpenBao at ${origin} sent a reply larger than ${max} bytes`);
  }
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new KmsError('provider_failed', `OpenBao at ${origin} sent a reply larger than ${max} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createTransitClient(o: TransitClientOptions): TransitClient {
  const base = new URL(o.addr);
  const origin = base.origin;
  const prefix = `${base.origin}${base.pathname.replace(/\/+$/, '')}/v1/`;
  const max = o.maxReplyBytes ?? MAX_REPLY;

  return {
    origin,
    async call(method, path, body) {
      let res: Response;
      let text: string;
      try {
        res = await fetch(prefix + path, {
          method,
          headers: {
            'X-Vault-Token': o.token,
            ...(body ? { 'Content-Type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          // A redirect would carry the token to wherever it points: refused (point OPENBAO_ADDR at the active node).
          redirect: 'error',
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        text = await readBounded(res, max, origin);
      } catch (err) {
        if (err instanceof KmsError) throw err;
        throw unreachable(origin, err, o.timeoutMs);
      }
      const op = `${method} /v1/${path}`;
      if (res.status === 401 || res.status === 403)
        throw new KmsError(
          'provider_denied',
          `OpenBao at ${origin} refused the token for ${op} (${res.status}: ${serverSays(text, o.token) || 'permission denied'})`,
        );
      if (res.status < 200 || res.status > 299)
        throw new TransitRefusal(
          res.status,
          `OpenBao at ${origin}: ${op} failed (${res.status}${text ? `: ${serverSays(text, o.token)}` : ''})`,
        );
      if (!text) return null;
      try {
        const json = JSON.parse(text) as { data?: unknown };
        return json.data && typeof json.data === 'object' ? (json.data as Record<string, unknown>) : null;
      } catch {
        throw new KmsError('provider_failed', `OpenBao at ${origin}: ${op} answered something other than JSON`);
      }
    },
  };
}
