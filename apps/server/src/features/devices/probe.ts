import { RouterOSClient, type TlsMode } from '@tod/routeros';

export type ProbeTarget = {
  host: string;
  port: number;
  tlsPort: number;
  tlsMode: TlsMode;
  username: string;
  password: string;
  fingerprint?: string | null;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
};

export type ProbeResult = {
  ok: boolean;
  /** ok | refused | timeout | unreachable | dns | tls | tls_fingerprint_mismatch | bad_credentials | not_routeros | error */
  code: string;
  detail: string;
  transport: string | null;
  fingerprint: string | null;
  identity: string | null;
  model: string | null;
  board_name: string | null;
  version: string | null;
  serial_number: string | null;
  architecture: string | null;
  duration_ms: number;
};

/** Turns a client error into a code and a sentence an engineer can act on (never containing the password). */
export function classifyConnectError(
  err: unknown,
  t: { host: string; port: number; tlsPort: number },
): { code: string; detail: string } {
  const e = err as { name?: string; code?: string; message?: string; attempts?: readonly string[] };
  const where = `${t.host} (API ${t.port}, API-SSL ${t.tlsPort})`;
  const tried = e.attempts?.length ? ` Tried: ${e.attempts.join('; ')}.` : '';
  switch (e.name) {
    case 'AuthError':
      return { code: 'bad_credentials', detail: `${where} refused the user name or password.` };
    case 'TlsError':
      return e.code === 'tls_fingerprint_mismatch'
        ? {
            code: 'tls_fingerprint_mismatch',
            detail: `${where} presented a different TLS certificate than before.${tried}`,
          }
        : { code: 'tls', detail: `TLS with ${where} failed: ${e.message}.${tried}` };
    case 'TimeoutError':
      return { code: 'timeout', detail: `${where} did not answer in time (${e.code ?? 'timeout'}).${tried}` };
    case 'ProtocolError':
    case 'RouterOSProtocolError':
    case 'FatalError':
      return { code: 'not_routeros', detail: `${where} answered, but not like the RouterOS API: ${e.message}` };
    case 'ConnectError':
      if (e.code === 'ECONNREFUSED')
        return {
          code: 'refused',
          detail: `${where} refused the connection: is the API service enabled and the port right?${tried}`,
        };
      if (e.code === 'ETIMEDOUT' || e.code === 'connect_timeout')
        return { code: 'timeout', detail: `${where} did not accept a connection in time.${tried}` };
      if (e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN')
        return { code: 'dns', detail: `${t.host} does not resolve.` };
      return { code: 'unreachable', detail: `${where} is unreachable (${e.code}).${tried}` };
    case 'ClosedError':
      return {
        code: 'not_routeros',
        detail: `${where} closed the connection during the exchange (not RouterOS, or API restricted to other addresses).`,
      };
    default:
      return { code: 'error', detail: `${where}: ${e.message ?? String(err)}` };
  }
}

const first = async (client: RouterOSClient, path: string) => (await client.command(path).catch(() => []))[0] ?? {};

/** Connects, logs in and reads identity, model and version: what adding a device checks. */
export async function probeDevice(t: ProbeTarget): Promise<ProbeResult> {
  const started = performance.now();
  const base = {
    transport: null,
    fingerprint: null,
    identity: null,
    model: null,
    board_name: null,
    version: null,
    serial_number: null,
    architecture: null,
  };
  let client: RouterOSClient | undefined;
  try {
    client = await RouterOSClient.connect({
      host: t.host,
      port: t.port,
      tlsPort: t.tlsPort,
      tlsMode: t.tlsMode,
      username: t.username,
      password: t.password,
      fingerprint: t.fingerprint ?? undefined,
      connectTimeoutMs: t.connectTimeoutMs,
      commandTimeoutMs: t.commandTimeoutMs,
    });
    const resource = await client.command('/system/resource/print');
    const [identity, board] = await Promise.all([
      first(client, '/system/identity/print'),
      first(client, '/system/routerboard/print'),
    ]);
    const r = resource[0] ?? {};
    const version = r.version?.split(' ')[0] ?? null;
    return {
      ...base,
      ok: true,
      code: 'ok',
      detail: `RouterOS ${version ?? '?'} on ${board.model ?? r['board-name'] ?? 'unknown hardware'}`,
      transport: client.transport.kind,
      fingerprint: client.transport.fingerprint ?? null,
      identity: identity.name ?? null,
      model: board.model ?? r['board-name'] ?? null,
      board_name: r['board-name'] ?? null,
      version,
      serial_number: board['serial-number'] ?? null,
      architecture: r['architecture-name'] ?? null,
      duration_ms: Math.round(performance.now() - started),
    };
  } catch (err) {
    return {
      ...base,
      ok: false,
      ...classifyConnectError(err, t),
      duration_ms: Math.round(performance.now() - started),
    };
  } finally {
    await client?.close().catch(() => {});
  }
}
