import pg from 'pg';

// bigint (int8) columns come back as strings by default; counters and ids here fit in JS numbers only sometimes,
// so keep them as strings and convert where a feature knows the range.
export type Pools = { owner: pg.Pool; app: pg.Pool; system: pg.Pool; end: () => Promise<void> };

export function roleUrl(ownerUrl: string, role: 'app' | 'system', password: string): string {
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = encodeURIComponent(password);
  return u.toString();
}

export function createPools(opts: {
  ownerUrl: string;
  appPassword: string;
  systemPassword: string;
  appMax: number;
  systemMax: number;
  statementTimeoutMs: number;
  applicationName?: string;
}): Pools {
  const common = { statement_timeout: opts.statementTimeoutMs, application_name: opts.applicationName ?? 'tod' };
  const owner = new pg.Pool({ connectionString: opts.ownerUrl, max: 3, ...common });
  const app = new pg.Pool({
    connectionString: roleUrl(opts.ownerUrl, 'app', opts.appPassword),
    max: opts.appMax,
    ...common,
  });
  const system = new pg.Pool({
    connectionString: roleUrl(opts.ownerUrl, 'system', opts.systemPassword),
    max: opts.systemMax,
    ...common,
  });
  // An idle client losing its server (PostgreSQL restart) must not crash the process; the pool replaces it.
  for (const p of [owner, app, system]) p.on('error', () => {});
  return { owner, app, system, end: async () => void (await Promise.all([owner.end(), app.end(), system.end()])) };
}
