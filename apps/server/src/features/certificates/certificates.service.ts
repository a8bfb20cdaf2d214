import net from 'node:net';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { assertCan, policiesFor } from '../../platform/auth/permissions.js';
import { type Actor, actorLabel, systemActor } from '../../platform/auth/principal.js';
import { withSystem, withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { jsonDates } from '../../platform/http/schemas.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { type KeyUse, useBy, useByWorker } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import type { ChangesService } from '../changes/changes.service.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { devicesRepo } from '../devices/devices.repo.js';
import type { RolloutsService } from '../rollouts/rollouts.service.js';
import { tenantsRepo } from '../tenants/tenants.repo.js';
import { type Authority, createCa, createCrl, deviceCertName, signDevice } from './ca.js';
import { type CaRow, type CertRow, certificatesRepo } from './certificates.repo.js';
import type { CertItem, CertListQuery, caBody } from './certificates.schema.js';
import { certKeyContext, DEPLOY_KIND } from './deploy-plan.js';
import type { TrustCache } from './trust.js';

export const BULK_KIND = 'certificate_deploy';
const caKeyContext = (id: string) => `certificate-authority:${id}:key`;
const CRL_DAYS = 30;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

export type CertificatesOptions = { deviceDays: number; rotateBeforeDays: number };

export function createCertificatesService(deps: {
  appPool: pg.Pool;
  systemPool: pg.Pool;
  envelope: Envelope;
  access: DeviceAccess;
  changes: Pick<ChangesService, 'submitOperation' | 'operationsById'>;
  rollouts: Pick<RolloutsService, 'create'>;
  trust: TrustCache;
  options: CertificatesOptions;
  log: Logger;
}) {
  const o = deps.options;
  const inTenant = <T>(tenantId: string, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantId, fn);
  const tenantOf = (actor: Actor) => actor.tenantId as string;

  const presentCa = (actor: Actor, row: CaRow) => {
    const { key_sealed: _k, cert_pem: _c, crl_pem: _r, tenant_id: _t, ...rest } = row;
    return { ...jsonDates(rest), policies: policiesFor(actor.principal, ['certificates.admin']) };
  };
  const shownState = (row: CertRow): CertItem['state'] => {
    if (row.state !== 'deployed') return row.state;
    const left = row.not_after.getTime() - Date.now();
    return left <= 0 ? 'expired' : left <= o.rotateBeforeDays * 86_400_000 ? 'expiring' : 'deployed';
  };
  const presentCert = (actor: Actor, row: CertRow): CertItem => {
    const { key_sealed: _k, cert_pem: _c, tenant_id: _t, created_by: _b, updated_at: _u, ...rest } = row;
    return {
      ...jsonDates(rest),
      state: shownState(row),
      policies: policiesFor(actor.principal, ['certificates.deploy', 'certificates.admin']),
    };
  };

  async function authority(tenantId: string, ca: CaRow, use: KeyUse): Promise<Authority> {
    const key = await deps.envelope.decrypt(tenantId, ca.key_sealed, caKeyContext(ca.id), use);
    return { certPem: ca.cert_pem, keyPem: key.toString('utf8'), type: ca.key_type };
  }

  /** The router's names and addresses for the SAN: TOD's host for it, its identity, and what it reports. */
  async function sansOf(tenantId: string, deviceId: string, host: string, names: (string | null)[]) {
    const sans = [host, ...names.filter((n): n is string => !!n && DNS_NAME.test(n))];
    try {
      const rows = await deps.access.withApi({ tenantId, deviceId }, 'change', (c) =>
        c.command('/ip/address/print', {}, { proplist: ['address', 'disabled'] }),
      );
      for (const r of (rows as Array<Record<string, string>>).slice(0, 32)) {
        const ip = r.address?.split('/')[0];
        if (ip && net.isIP(ip) && r.disabled !== 'true') sans.push(ip);
      }
    } catch (e) {
      // The certificate still names the address TOD reaches it on; its other addresses are a convenience.
      deps.log.info({ err: e, device: deviceId }, 'certificate SANs: the router could not be asked for its addresses');
    }
    return [...new Set(sans)];
  }

  /** Signs a certificate for a device (pending); `replaces` for a rotation. */
  async function issue(actor: Actor, deviceId: string, p: { days?: number; replaces?: CertRow; rolloutId?: string }) {
    const tenantId = tenantOf(actor);
    const [ca, dev, inflight] = await inTenant(tenantId, async (db) => [
      await certificatesRepo.activeCa(db),
      await devicesRepo.get(db, deviceId),
      await certificatesRepo.inflightOn(db, deviceId),
    ]);
    if (!dev) throw notFound('device');
    if (!ca) throw new AppError('no_ca', 'this organisation has no certificate authority yet: create one first');
    if (inflight) {
      // A rollout step run again after a crash finds its own certificate.
      if (p.rolloutId && inflight.rollout_id === p.rolloutId) return inflight;
      throw new AppError(
        'certificate_in_progress',
        `a certificate is already being deployed to this device (${inflight.id})`,
      );
    }
    const identity = (dev.identity as string | null) ?? dev.name;
    const sans = await sansOf(tenantId, deviceId, dev.host, [identity, dev.name]);
    const issued = await signDevice(await authority(tenantId, ca, useBy(actor, 'certificate.sign')), {
      commonName: identity,
      sans,
      days: p.days ?? o.deviceDays,
    });
    return inTenant(tenantId, async (db) => {
      const id = crypto.randomUUID();
      const row = await certificatesRepo.insertCert(db, {
        id,
        tenant_id: tenantId,
        device_id: deviceId,
        ca_id: ca.id,
        serial: issued.serial,
        name: deviceCertName(issued.serial),
        common_name: identity,
        sans,
        fingerprint: issued.fingerprint,
        cert_pem: issued.certPem,
        key_sealed: await deps.envelope.encrypt(
          tenantId,
          issued.keyPem,
          certKeyContext(id),
          useBy(actor, 'certificate.sign'),
        ),
        not_before: issued.notBefore,
        not_after: issued.notAfter,
        replaces_id: p.replaces?.id ?? null,
        rollout_id: p.rolloutId ?? null,
        created_by: actorLabel(actor.principal),
      });
      await recordAudit(db, actor, {
        action: 'certificates.issue',
        targetType: 'device',
        targetId: deviceId,
        details: { certificate_id: id, serial: issued.serial, common_name: identity, sans, not_after: issued.notAfter },
      });
      return row;
    });
  }

  /** Signs and submits the deploy operation; a certificate whose operation was refused is failed at once. */
  async function deploy(actor: Actor, deviceId: string, p: { days?: number; replaces?: CertRow }) {
    const cert = await issue(actor, deviceId, p);
    try {
      const r = await deps.changes.submitOperation(actor, deviceId, {
        kind: DEPLOY_KIND,
        mode: 'safe',
        request: { certificate_id: cert.id },
        summary: `certificate for api-ssl (${cert.common_name})`,
      });
      await inTenant(tenantOf(actor), (db) => certificatesRepo.update(db, cert.id, { operation_id: r.operation_id }));
      return { operation_id: r.operation_id, certificate_id: cert.id };
    } catch (e) {
      await inTenant(tenantOf(actor), (db) =>
        certificatesRepo.update(db, cert.id, {
          state: 'failed',
          error_code: e instanceof AppError ? e.code : 'submit_failed',
          error_detail: e instanceof Error ? e.message : String(e),
        }),
      );
      throw e;
    }
  }

  /** Re-signs the CA's revocation list (on every revocation, and before the current one lapses). */
  async function refreshCrl(db: pg.PoolClient, tenantId: string, ca: CaRow, use: KeyUse) {
    const revoked = await certificatesRepo.revokedOf(db, ca.id);
    const crl = await createCrl(await authority(tenantId, ca, use), revoked, CRL_DAYS);
    await certificatesRepo.setCrl(db, ca.id, crl, new Date(Date.now() + CRL_DAYS * 86_400_000));
  }

  async function certOf(actor: Actor, id: string) {
    const row = await inTenant(tenantOf(actor), (db) => certificatesRepo.byId(db, id));
    if (!row) throw notFound('certificate');
    return row;
  }

  return {
    async getCa(actor: Actor) {
      assertCan(actor, 'certificates.read');
      const ca = await inTenant(tenantOf(actor), (db) => certificatesRepo.activeCa(db));
      if (!ca) throw new AppError('no_ca', 'this organisation has no certificate authority yet');
      return presentCa(actor, ca);
    },

    async createCa(actor: Actor, body: z.infer<typeof caBody>) {
      assertCan(actor, 'certificates.admin');
      const tenantId = tenantOf(actor);
      const exists = () => new AppError('ca_exists', 'this organisation already has a certificate authority');
      // Checked before the keys are made (the common refusal costs no key generation); the unique index decides races.
      const tenant = await inTenant(tenantId, async (db) => {
        if (await certificatesRepo.activeCa(db)) throw exists();
        return tenantsRepo.get(db, tenantId);
      });
      const organisation = (tenant?.name as string | undefined) ?? 'TOD';
      const commonName = body.common_name ?? `${organisation} routers CA`;
      const issued = await createCa({
        commonName,
        organisation,
        type: body.key_type,
        days: body.validity_days,
      });
      const id = crypto.randomUUID();
      const use = useBy(actor, 'certificate.ca');
      const crl = await createCrl(
        { certPem: issued.certPem, keyPem: issued.keyPem, type: body.key_type },
        [],
        CRL_DAYS,
      );
      const row = await inTenant(tenantId, async (db) => {
        const ca = await certificatesRepo.insertCa(db, {
          id,
          tenant_id: tenantId,
          common_name: commonName,
          key_type: body.key_type,
          serial: issued.serial,
          fingerprint: issued.fingerprint,
          cert_pem: issued.certPem,
          key_sealed: await deps.envelope.encrypt(tenantId, issued.keyPem, caKeyContext(id), use),
          not_before: issued.notBefore,
          not_after: issued.notAfter,
          crl_pem: crl,
          crl_next_update: new Date(Date.now() + CRL_DAYS * 86_400_000),
          created_by: actorLabel(actor.principal),
        });
        await recordAudit(db, actor, {
          action: 'certificates.ca_create',
          targetType: 'certificate_authority',
          targetId: id,
          details: {
            common_name: ca.common_name,
            key_type: ca.key_type,
            fingerprint: ca.fingerprint,
            not_after: ca.not_after,
          },
        });
        return ca;
      }).catch((e) => {
        if ((e as { constraint?: string }).constraint === 'certificate_authorities_active_key') throw exists();
        throw e;
      });
      deps.trust.forget(tenantId);
      return presentCa(actor, row);
    },

    async caPem(actor: Actor): Promise<string> {
      assertCan(actor, 'certificates.read');
      const ca = await inTenant(tenantOf(actor), (db) => certificatesRepo.activeCa(db));
      if (!ca) throw new AppError('no_ca', 'this organisation has no certificate authority yet');
      return ca.cert_pem;
    },

    async list(actor: Actor, q: CertListQuery) {
      assertCan(actor, 'certificates.read');
      const r = await inTenant(tenantOf(actor), (db) =>
        certificatesRepo.list(db, { ...q, expiringDays: o.rotateBeforeDays }),
      );
      return { items: r.rows.map((row) => presentCert(actor, row)), total: r.total, limit: q.limit, offset: q.offset };
    },

    async get(actor: Actor, id: string) {
      assertCan(actor, 'certificates.read');
      return presentCert(actor, await certOf(actor, id));
    },

    async deploy(actor: Actor, deviceId: string, body: { validity_days?: number | undefined }) {
      assertCan(actor, 'certificates.deploy');
      const current = await inTenant(tenantOf(actor), (db) => certificatesRepo.deployedOn(db, deviceId));
      return deploy(actor, deviceId, {
        ...(body.validity_days ? { days: body.validity_days } : {}),
        ...(current ? { replaces: current } : {}),
      });
    },

    async rotate(actor: Actor, id: string) {
      assertCan(actor, 'certificates.deploy');
      const cert = await certOf(actor, id);
      if (cert.state !== 'deployed')
        throw new AppError(
          'certificate_not_deployed',
          `only a deployed certificate can be rotated (this one is ${cert.state})`,
        );
      return deploy(actor, cert.device_id, { replaces: cert });
    },

    async revoke(actor: Actor, id: string, body: { reason?: string | undefined }) {
      assertCan(actor, 'certificates.admin');
      const tenantId = tenantOf(actor);
      const row = await inTenant(tenantId, async (db) => {
        const cert = await certificatesRepo.byId(db, id);
        if (!cert) throw notFound('certificate');
        if (cert.state === 'revoked') return cert;
        await certificatesRepo.update(db, id, {
          state: 'revoked',
          revoked_at: new Date(),
          revoke_reason: body.reason ?? null,
        });
        const ca = await certificatesRepo.caById(db, cert.ca_id);
        if (ca) await refreshCrl(db, tenantId, ca, useBy(actor, 'certificate.revoke'));
        // The router still presents it: TOD falls back to trusting exactly that certificate (pinned TLS).
        if (cert.state === 'deployed') await devicesRepo.setTls(db, cert.device_id, 'auto', cert.fingerprint);
        await recordAudit(db, actor, {
          action: 'certificates.revoke',
          targetType: 'device',
          targetId: cert.device_id,
          details: { certificate_id: id, serial: cert.serial, reason: body.reason ?? null },
        });
        return (await certificatesRepo.byId(db, id))!;
      });
      deps.trust.forget(tenantId);
      return presentCert(actor, row);
    },

    async bulkDeploy(actor: Actor, body: { targets: object; validity_days?: number | undefined; rollout: object }) {
      assertCan(actor, 'certificates.deploy');
      const ca = await inTenant(tenantOf(actor), (db) => certificatesRepo.activeCa(db));
      if (!ca) throw new AppError('no_ca', 'this organisation has no certificate authority yet: create one first');
      return deps.rollouts.create(actor, {
        kind: BULK_KIND,
        name: 'Deploy certificates',
        targets: body.targets as never,
        options: body.rollout as never,
        request: { validity_days: body.validity_days ?? null },
      });
    },

    /** A rollout's step: sign (or find, after a crash) this device's certificate, and the operation to deploy it. */
    async operationFor(actor: Actor, deviceId: string, rolloutId: string, days: number | null) {
      const current = await inTenant(tenantOf(actor), (db) => certificatesRepo.deployedOn(db, deviceId));
      const cert = await issue(actor, deviceId, {
        rolloutId,
        ...(days ? { days } : {}),
        ...(current ? { replaces: current } : {}),
      });
      return {
        kind: DEPLOY_KIND,
        request: { certificate_id: cert.id },
        summary: `certificate for api-ssl (${cert.common_name})`,
      };
    },

    /**
     * After the deploy operation ends: confirmed → prove it with a fresh, fully verified TLS connection that
     * presents exactly this certificate, then verify the device against the CA from now on; otherwise failed.
     * Idempotent (a redelivered event, or the rollout's `after` and the event both).
     */
    async settle(tenantId: string, operationId: string, status: string, detail?: string | null) {
      const [op] = await deps.changes.operationsById(tenantId, [operationId]);
      const certId = (op?.request as { certificate_id?: string } | undefined)?.certificate_id;
      if (!certId) return;
      const cert = await inTenant(tenantId, (db) => certificatesRepo.byId(db, certId));
      if (!cert || (cert.state !== 'pending' && cert.state !== 'deploying')) return;
      if (status !== 'confirmed') {
        await inTenant(tenantId, (db) =>
          certificatesRepo.update(db, certId, {
            state: 'failed',
            operation_id: operationId,
            error_code: `operation_${status}`,
            error_detail: detail ?? op?.error_detail ?? `the change was ${status}`,
          }),
        );
        return;
      }
      deps.trust.forget(tenantId);
      const proof = await prove(tenantId, cert);
      await inTenant(tenantId, async (db) => {
        if (!proof.ok) {
          await certificatesRepo.update(db, certId, {
            state: 'failed',
            error_code: 'tls_not_verified',
            error_detail: proof.detail,
          });
          return;
        }
        if (cert.replaces_id) await certificatesRepo.update(db, cert.replaces_id, { state: 'superseded' });
        const now = new Date();
        await certificatesRepo.update(db, certId, { state: 'deployed', deployed_at: now, verified_at: now });
        await devicesRepo.setTls(db, cert.device_id, 'verify', cert.fingerprint);
        await recordAudit(db, systemActor('certificates', tenantId), {
          action: 'certificates.deployed',
          targetType: 'device',
          targetId: cert.device_id,
          details: { certificate_id: certId, serial: cert.serial, fingerprint: cert.fingerprint },
        });
      });
    },

    /** The daily job: every deployed certificate ending within the rotation window gets a successor. */
    async rotateDue(limit = 500) {
      const due = await withSystem(deps.systemPool, (db) =>
        certificatesRepo.claimForRotation(db, o.rotateBeforeDays, limit),
      );
      const byTenant = new Map<string, CertRow[]>();
      for (const c of due) byTenant.set(c.tenant_id, [...(byTenant.get(c.tenant_id) ?? []), c]);
      for (const [tenantId, certs] of byTenant) {
        const actor = systemActor('certificates', tenantId);
        await deps.rollouts
          .create(actor, {
            kind: BULK_KIND,
            name: `Rotate ${certs.length} expiring certificate${certs.length === 1 ? '' : 's'}`,
            targets: { device_ids: certs.map((c) => c.device_id) },
            options: {},
            request: { validity_days: null, rotation: true },
          })
          .catch((e) => deps.log.error({ err: e, tenant: tenantId }, 'certificate rotation could not start'));
      }
      // Revocation lists are re-signed before they lapse.
      const lapsing = await withSystem(deps.systemPool, (db) => certificatesRepo.lapsingCrls(db, 7));
      for (const ca of lapsing)
        await inTenant(ca.tenant_id, (db) =>
          refreshCrl(db, ca.tenant_id, ca, useByWorker('certificates.rotate', 'crl')),
        );
      return { rotations: due.length, crls: lapsing.length };
    },
  };

  /** A fresh session that only a certificate verified against the organisation's CA can open. */
  async function prove(tenantId: string, cert: CertRow): Promise<{ ok: boolean; detail: string }> {
    try {
      const fp = await deps.access.withApi({ tenantId, deviceId: cert.device_id }, 'change', async (c) => c.transport, {
        verifiedTls: true,
      });
      if (fp.kind !== 'tls-verified') return { ok: false, detail: `the connection was ${fp.kind}, not verified TLS` };
      if (fp.fingerprint !== cert.fingerprint)
        return {
          ok: false,
          detail: `the router presents ${fp.fingerprint ?? 'no certificate'}, not ${cert.fingerprint}`,
        };
      return { ok: true, detail: '' };
    } catch (e) {
      return { ok: false, detail: e instanceof Error ? e.message : String(e) };
    }
  }
}
export type CertificatesService = ReturnType<typeof createCertificatesService>;
