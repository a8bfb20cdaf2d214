import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type pg from 'pg';
import { withTenant } from '../../platform/db/tx.js';
import { AppError } from '../../platform/http/errors.js';
import { type LeaseRow, leasesRepo } from './device-access.repo.js';

// Leases in device_leases, shared by the change lock and the extra-session slots: take (or wait for) one of a list
// of names, renew it while working (by hand, or on a timer), release it. A holder that dies stops renewing and the
// lease expires; one that comes back under the same holder id takes its lease again.

/** Identifies this process in holder ids, so a lease row says who holds it. */
export const processTag = `${os.hostname()}:${process.pid}`;

export type DeviceRef = { tenantId: string; deviceId: string };

export type Lease = {
  readonly name: string;
  readonly holder: string;
  readonly purpose: string;
  readonly acquiredAt: Date;
  expiresAt: Date;
  /** Extends the lease by `ttlMs` (default: the TTL it was taken with). Throws `lease_lost` if it was taken over. */
  renew(ttlMs?: number): Promise<void>;
  release(): Promise<void>;
};

export type TakeOptions = {
  names: readonly string[];
  purpose: string;
  /** Stable across restarts for work that must get its lease back (an operation id); a fresh one when absent. */
  holder?: string;
  ttlMs: number;
  /** How long to wait for a free lease; 0 fails at once. */
  waitMs: number;
  /** Renew every ttl/3 until released; `onLost` runs if the lease was taken over meanwhile. */
  autoRenew?: boolean;
  onLost?: () => void;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Takes the first free lease among `names`, waiting up to `waitMs`; undefined when none came free in time. */
export async function takeLease(appPool: pg.Pool, ref: DeviceRef, o: TakeOptions): Promise<Lease | undefined> {
  const holder = o.holder ?? `${processTag}:${randomUUID()}`;
  const deadline = Date.now() + o.waitMs;
  let pause = 50;
  for (;;) {
    const row = await withTenant(appPool, ref.tenantId, async (db) => {
      for (const name of o.names) {
        const r = await leasesRepo.take(db, { ...ref, name, holder, purpose: o.purpose, ttlMs: o.ttlMs });
        if (r) return r;
      }
      return undefined;
    });
    if (row) return handle(appPool, ref, row, o);
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    // Leases are released by other processes too: poll, backing off to a quarter second.
    await sleep(Math.min(left, pause + Math.random() * pause));
    pause = Math.min(250, pause * 2);
  }
}

export async function currentLease(appPool: pg.Pool, ref: DeviceRef, name: string): Promise<LeaseRow | undefined> {
  return withTenant(appPool, ref.tenantId, (db) => leasesRepo.current(db, ref.deviceId, name));
}

function handle(appPool: pg.Pool, ref: DeviceRef, row: LeaseRow, o: TakeOptions): Lease {
  let timer: NodeJS.Timeout | undefined;
  let released = false;
  const lease: Lease = {
    name: row.name,
    holder: row.holder,
    purpose: row.purpose,
    acquiredAt: row.acquired_at,
    expiresAt: row.expires_at,
    async renew(ttlMs = o.ttlMs) {
      const ok = await withTenant(appPool, ref.tenantId, (db) =>
        leasesRepo.renew(db, ref.deviceId, row.name, row.holder, ttlMs),
      );
      if (!ok) throw new AppError('lease_lost', `the ${row.name} lease of device ${ref.deviceId} was taken over`);
      lease.expiresAt = new Date(Date.now() + ttlMs);
    },
    async release() {
      if (released) return;
      released = true;
      if (timer) clearInterval(timer);
      await withTenant(appPool, ref.tenantId, (db) => leasesRepo.release(db, ref.deviceId, row.name, row.holder));
    },
  };
  if (o.autoRenew) {
    timer = setInterval(
      () => {
        lease.renew().catch((err) => {
          if (released) return;
          // A database hiccup is retried at the next tick; a lease taken over is gone for good.
          if (err instanceof AppError && err.code === 'lease_lost') {
            clearInterval(timer);
            o.onLost?.();
          }
        });
      },
      Math.max(100, Math.floor(o.ttlMs / 3)),
    );
    timer.unref();
  }
  return lease;
}
