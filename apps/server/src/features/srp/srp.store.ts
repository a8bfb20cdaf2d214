import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Db } from '../../platform/db/tx.js';
import { type SrpSessionRow, srpRepo } from './srp.repo.js';

// Where a sign-in's server half (b, B) waits between /srp/init and /srp/verify: any api process must find it,
// once, within its lifetime. PostgreSQL by default; Redis when configured (no table churn on busy installs).
export type SrpSessionStore = {
  create(db: Db, s: SrpSessionRow, ttlSeconds: number): Promise<string>;
  /** Returns the session and forgets it, atomically: a second call with the same id finds nothing. */
  consume(db: Db, id: string): Promise<SrpSessionRow | undefined>;
};

export const postgresSrpStore: SrpSessionStore = {
  create: (db, s, ttlSeconds) => srpRepo.createSession(db, { ...s, userId: s.user_id, ttlSeconds }),
  consume: (db, id) => srpRepo.consumeSession(db, id),
};

type Stored = { u: string | null; e: string; b: string; B: string; s: string };

export function redisSrpStore(redis: Redis, prefix = 'tod:srp:'): SrpSessionStore {
  return {
    async create(_db, s, ttlSeconds) {
      const id = randomUUID();
      const value: Stored = {
        u: s.user_id,
        e: s.email,
        b: s.b.toString('hex'),
        B: s.B.toString('hex'),
        s: s.salt.toString('hex'),
      };
      await redis.set(prefix + id, JSON.stringify(value), 'EX', ttlSeconds);
      return id;
    },
    async consume(_db, id) {
      const raw = await redis.getdel(prefix + id);
      if (!raw) return undefined;
      const v = JSON.parse(raw) as Stored;
      const hex = (h: string) => Buffer.from(h, 'hex');
      return { user_id: v.u, email: v.e, b: hex(v.b), B: hex(v.B), salt: hex(v.s) };
    },
  };
}
