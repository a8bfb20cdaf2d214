import type pg from 'pg';
import { withTenant } from '../../platform/db/tx.js';
import type { Trust } from '../device-access/connect.js';
import { certificatesRepo } from './certificates.repo.js';

// What device access trusts for an organisation: its CAs and their revocation lists, cached per process for a
// short while (every session open asks). This process forgets an organisation's entry on every change it makes;
// other processes see a new CA or a revocation within TTL_MS.

const TTL_MS = 30_000;
const MAX = 4096;

export function createTrust(appPool: pg.Pool) {
  const cache = new Map<string, { trust: Trust | null; until: number }>();
  return {
    async of(tenantId: string): Promise<Trust | null> {
      const hit = cache.get(tenantId);
      if (hit && hit.until > Date.now()) return hit.trust;
      const cas = await withTenant(appPool, tenantId, (db) => certificatesRepo.trustedCas(db));
      const trust = cas.length ? { ca: cas.map((c) => c.cert_pem), crl: cas.map((c) => c.crl_pem) } : null;
      if (cache.size >= MAX) cache.delete(cache.keys().next().value!);
      cache.set(tenantId, { trust, until: Date.now() + TTL_MS });
      return trust;
    },
    forget(tenantId: string) {
      cache.delete(tenantId);
    },
  };
}
export type TrustCache = ReturnType<typeof createTrust>;
