import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { devicesRepo } from './devices.repo.js';
import type { DeviceProbe, ProbeResult, ScanBody, ScanHit } from './devices.schema.js';
import { probeDevice } from './probe.js';
import { expandCidr, type ScanResult, scanNetwork } from './scan.js';

// The devices feature's ways of touching a router before or besides polling: the add-device probe, a saved
// device's re-probe, the subnet scan. Every one goes through device access and is audited (who pointed TOD at
// which address, and what came back).

export type ProbeDeps = { appPool: pg.Pool; access: DeviceAccess; scanTimeoutMs: number };

type Endpointish = { host: string; port: number; tls_port: number; tls_mode?: DeviceProbe['tls_mode'] };

const endpointOf = (t: Endpointish) => ({
  host: t.host,
  port: t.port,
  tlsPort: t.tls_port,
  tlsMode: t.tls_mode ?? ('auto' as const),
});

export function createProbeActions(deps: ProbeDeps) {
  const audit = (actor: Actor, event: Parameters<typeof recordAudit>[2]) =>
    withTenant(deps.appPool, actor.tenantId, (db) => recordAudit(db, actor, event));

  async function credentialsFor(
    actor: Actor,
    b: { username?: string | undefined; password?: string | undefined; credential_profile_id?: string | null },
  ) {
    if (b.username !== undefined && b.password !== undefined) return { username: b.username, password: b.password };
    if (!b.credential_profile_id)
      throw new AppError('validation_failed', 'username and password, or credential_profile_id, are needed');
    const creds = await deps.access.profileCredentials(actor.tenantId!, b.credential_profile_id, useBy(actor, 'probe'));
    if (!creds) throw new AppError('validation_failed', 'credential_profile_id: unknown id');
    return creds;
  }

  /** Probes an endpoint that is not saved (the add-device form, create with probe). Not audited: callers do. */
  async function probeEndpoint(actor: Actor, b: Endpointish & Parameters<typeof credentialsFor>[1]) {
    const creds = await credentialsFor(actor, b);
    const endpoint = endpointOf(b);
    return probeDevice(() => deps.access.openApiTo(actor.tenantId!, endpoint, creds, 'probe'), endpoint);
  }

  return {
    probeEndpoint,

    /** Probes without saving: the add-device form's live check. */
    async probe(actor: Actor, b: DeviceProbe): Promise<ProbeResult> {
      assertCan(actor, 'devices.write');
      const result = await probeEndpoint(actor, b);
      await audit(actor, {
        action: 'device.probe',
        targetType: 'device',
        details: { host: b.host, port: b.port, tls_port: b.tls_port, tls_mode: b.tls_mode, code: result.code },
      });
      return result;
    },

    /** Re-probes a saved device with its stored credentials (its pinned certificate, its session slots). */
    async reprobe(actor: Actor, id: string): Promise<ProbeResult> {
      assertCan(actor, 'devices.write');
      const tenantId = actor.tenantId!;
      const d = await withTenant(deps.appPool, tenantId, (db) => devicesRepo.get(db, id));
      if (!d) throw notFound('device');
      const result = await probeDevice(
        () => deps.access.openApi({ tenantId, deviceId: id }, 'probe', { use: useBy(actor, 'probe') }),
        {
          host: d.host,
          port: d.port,
          tlsPort: d.tls_port,
        },
      );
      await withTenant(deps.appPool, tenantId, async (db) => {
        if (result.ok) await devicesRepo.setProbeResult(db, id, result);
        await recordAudit(db, actor, {
          action: 'device.probe',
          targetType: 'device',
          targetId: id,
          details: { host: d.host, port: d.port, tls_port: d.tls_port, code: result.code },
        });
      });
      return { ...result, fingerprint: null };
    },

    /** Finds RouterOS devices in an IPv4 network (≤ /20); hits go to `onHit` as they are found. */
    async scan(actor: Actor, b: ScanBody, onHit?: (hit: ScanHit) => void): Promise<ScanResult> {
      assertCan(actor, 'devices.scan');
      if ((b.username === undefined) !== (b.password === undefined))
        throw new AppError('validation_failed', 'give both username and password, or neither');
      expandCidr(b.cidr); // a malformed or too large network is refused before anything is audited or knocked on
      const details = {
        cidr: b.cidr,
        port: b.port,
        tls_port: b.tls_port,
        with_credentials: b.username !== undefined,
      };
      let result: ScanResult | undefined;
      try {
        result = await scanNetwork(deps.access, {
          tenantId: actor.tenantId!,
          cidr: b.cidr,
          port: b.port,
          tlsPort: b.tls_port,
          timeoutMs: b.timeout_ms ?? deps.scanTimeoutMs,
          ...(b.username !== undefined ? { credentials: { username: b.username, password: b.password ?? '' } } : {}),
          ...(onHit ? { onHit } : {}),
        });
        return result;
      } finally {
        // Audited whatever the outcome (a scan that failed half-way still knocked on addresses).
        await audit(actor, {
          action: 'device.scan',
          targetType: 'device',
          details: {
            ...details,
            outcome: result ? 'done' : 'failed',
            ...(result ? { scanned: result.scanned, found: result.found.length, denied: result.denied } : {}),
          },
        });
      }
    },
  };
}
