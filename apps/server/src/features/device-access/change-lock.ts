import type pg from 'pg';
import { AppError } from '../../platform/http/errors.js';
import { currentLease, type DeviceRef, type Lease, takeLease } from './leases.js';

// One change operation at a time per device, across every TOD process: the 'change' lease of device_leases.
// A safe apply holds it for minutes and renews it; after a restart it takes it again under the same holder (its
// operation id). A holder that died lets it expire after its TTL.

export type ChangeLockOptions = {
  /** What the holder does (shown to whoever finds the device busy): 'safe_apply', 'template', 'upgrade'… */
  purpose: string;
  /** Stable id of the holder (an operation id) so it can take the lock again after a restart. */
  holder?: string;
  /** Lifetime without renewal. Default 60 s. */
  ttlMs?: number;
  /** How long to wait when another holder has it. Default 0: fail at once with `device_busy`. */
  waitMs?: number;
  /** Renew every ttl/3 until released. */
  autoRenew?: boolean;
  onLost?: () => void;
};

export async function acquireChangeLock(appPool: pg.Pool, ref: DeviceRef, o: ChangeLockOptions): Promise<Lease> {
  const ttlMs = o.ttlMs ?? 60_000;
  const lease = await takeLease(appPool, ref, {
    names: ['change'],
    purpose: o.purpose,
    ttlMs,
    waitMs: o.waitMs ?? 0,
    ...(o.holder !== undefined ? { holder: o.holder } : {}),
    ...(o.autoRenew !== undefined ? { autoRenew: o.autoRenew } : {}),
    ...(o.onLost ? { onLost: o.onLost } : {}),
  });
  if (lease) return lease;
  const held = await currentLease(appPool, ref, 'change');
  throw new AppError(
    'device_busy',
    held
      ? `device is busy: ${held.purpose} holds its change lock (until ${held.expires_at.toISOString()} unless renewed)`
      : 'device is busy with another change',
  );
}
