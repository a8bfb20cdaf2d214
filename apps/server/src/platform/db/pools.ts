import pg from 'pg';

// int8 columns (uptime, memory and disk sizes, sequence numbers) come back as numbers: every int8 TOD stores fits in
// 2^53. Unsigned 64-bit interface counters are numeric(20) columns, which stay strings.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number.parseInt(v, 10));
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
