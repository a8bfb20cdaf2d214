import type { Redis } from 'ioredis';
import type { NatsConnection } from 'nats';
import type pg from 'pg';

/** A dependency /health/ready asks; it throws when the dependency cannot serve. */
export type ReadinessCheck = { name: string; check: () => Promise<void> };

export const postgresCheck = (pool: pg.Pool): ReadinessCheck => ({
  name: 'postgres',
  check: async () => void (await pool.query('select 1')),
});

export const redisCheck = (redis: Redis): ReadinessCheck => ({
  name: 'redis',
  check: async () => void (await redis.ping()),
});

export const natsCheck = (nats: NatsConnection | undefined): ReadinessCheck => ({
  name: 'nats',
  check: async () => {
    if (!nats || nats.isClosed()) throw new Error('not connected');
    await nats.flush();
  },
});
