import { type RouterOSClient, TrapError } from '@tod/routeros';
import { AppError } from '../../platform/http/errors.js';
import type { ApiSession } from '../device-access/device-access.service.js';
import { DeviceAccessError, type TargetLabel, toAccessError } from '../device-access/taxonomy.js';
import type { ProbeResult } from './devices.schema.js';

// What adding a device checks: log in (through device access, so the target policy, TLS pinning, timeouts and
// reply limits of the `probe` purpose apply) and read identity, model and version.

const empty = {
  transport: null,
  fingerprint: null,
  identity: null,
  model: null,
  board_name: null,
  version: null,
  serial_number: null,
  architecture: null,
};

/** The first row of a menu the device may not have (a trap: nothing there); other failures end the probe. */
async function first(client: RouterOSClient, path: string) {
  try {
    return (await client.command(path))[0] ?? {};
  } catch (e) {
    if (e instanceof TrapError) return {};
    throw e;
  }
}

/**
 * Opens a session with `open`, reads what a device is, and releases the session. Failures to reach the device are
 * a result with a taxonomy code (never an exception); TOD's own refusals (too many probes, no session slot, unknown
 * device) are thrown as AppErrors.
 */
export async function probeDevice(open: () => Promise<ApiSession>, target: TargetLabel): Promise<ProbeResult> {
  const started = performance.now();
  const took = () => Math.round(performance.now() - started);
  let session: ApiSession | undefined;
  try {
    session = await open();
    const client = session.client;
    const resource = await client.command('/system/resource/print');
    const [identity, board] = await Promise.all([
      first(client, '/system/identity/print'),
      first(client, '/system/routerboard/print'),
    ]);
    const r = resource[0] ?? {};
    const version = r.version?.split(' ')[0] ?? null;
    const model = board.model ?? r['board-name'] ?? null;
    return {
      ...empty,
      ok: true,
      code: 'ok',
      detail: `RouterOS ${version ?? '?'} on ${model ?? 'unknown hardware'}`,
      transport: session.transport.kind,
      fingerprint: session.transport.fingerprint ?? null,
      identity: identity.name ?? null,
      model,
      board_name: r['board-name'] ?? null,
      version,
      serial_number: board['serial-number'] ?? null,
      architecture: r['architecture-name'] ?? null,
      duration_ms: took(),
    };
  } catch (err) {
    if (err instanceof AppError && !(err instanceof DeviceAccessError)) throw err;
    const e = toAccessError(err, session ? 'session' : 'connect', target);
    return { ...empty, ok: false, code: e.failure, detail: e.message, duration_ms: took() };
  } finally {
    await session?.release();
  }
}
