import { z } from 'zod';
import { parseCidr } from '../net/cidr.js';

// Every setting TOD reads, with its default. Names follow the product description so existing .env files carry over.
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
/** A port range `first-last` → { first, last }. */
const portRange = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s, ctx) => {
      const m = /^(\d{1,5})-(\d{1,5})$/.exec(s.trim());
      const first = Number(m?.[1]);
      const last = Number(m?.[2]);
      if (!m || first < 1 || last > 65535 || first > last) {
        ctx.addIssue({ code: 'custom', message: `a port range like ${fallback}` });
        return z.NEVER;
      }
      return { first, last };
    });

const csv = z.string().transform((s) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

const envFields = z.object({
  ENVIRONMENT: z.enum(['dev', 'staging', 'production']).default('dev'),
  APP_NAME: z.string().min(1).default('TOD - The Other Dude'),
  PORT: int(1, 65535).default(3000),
  /** /metrics of processes without the api role, and of every process in production; 0 picks a free port. */
  METRICS_PORT: int(0, 65535).default(9464),
  /** Where the METRICS_PORT listener binds. Unset: loopback in production, HOST otherwise. */
  METRICS_HOST: z.string().min(1).optional(),
  /** Bearer token /metrics asks for when set; in production the public port serves /metrics only with it. */
  METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  CORS_ORIGINS: csv.default(['http://localhost:3000']),
  APP_BASE_URL: z.url().default('http://localhost:3000'),
  TRUST_PROXY: bool.default(false),

  TOD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DB_APP_PASSWORD: z.string().min(16).optional(),
  DB_SYSTEM_PASSWORD: z.string().min(16).optional(),
  /** Unset: 54329, or a free port remembered in the data directory once that one is taken (platform/db/embedded.ts). */
  EMBEDDED_PG_PORT: int(1024, 65535).optional(),
  DB_POOL_SIZE: int(1, 500).default(20),
  DB_MAX_OVERFLOW: int(0, 500).default(40),
  DB_ADMIN_POOL_SIZE: int(1, 500).default(10),
  DB_ADMIN_MAX_OVERFLOW: int(0, 500).default(20),
  DB_STATEMENT_TIMEOUT_MS: int(100, 3_600_000).default(30_000),
  /** Prepared statements kept per connection (platform/db/statement-cache.ts); 0 prepares none (old PgBouncer). */
  DB_STATEMENT_CACHE_SIZE: int(0, 10_000).default(200),

  JWT_SECRET_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_ALGORITHM: z.literal('HS256').default('HS256'),
  JWT_ACCESS_TOKEN_EXPIRE_MINUTES: int(1, 1440).default(15),
  JWT_REFRESH_TOKEN_EXPIRE_DAYS: int(1, 365).default(7),
  CREDENTIAL_ENCRYPTION_KEY: z
    .string()
    .refine((s) => Buffer.from(s, 'base64').length === 32, 'must be 32 bytes, base64-encoded')
    .optional(),
  // Key providers (platform/kms): with OPENBAO_ADDR and OPENBAO_TOKEN, OpenBao/Vault Transit wraps each
  // organisation's data keys (a Transit key `tod-<tenant id>` per organisation); without them, `local` does.
  OPENBAO_ADDR: z.url().optional(),
  OPENBAO_TOKEN: z.string().min(1).optional(),
  /** The Transit secrets engine's mount path. */
  OPENBAO_TRANSIT_MOUNT: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/, 'must be a mount path like transit or kms/transit')
    .refine((s) => !s.split('/').some((p) => /^\.+$/.test(p)), 'must be a mount path like transit or kms/transit')
    .default('transit'),
  /** One request to OpenBao, connect to last byte. */
  OPENBAO_TIMEOUT_SECONDS: int(1, 120).default(5),
  /** Outside dev, OPENBAO_ADDR must be https:// unless it is a loopback address or this is set (the token travels in a header). */
  OPENBAO_ALLOW_HTTP: bool.default(false),
  /** Unwrapped data keys kept in memory per process (each tenant's newest key and each version in use). */
  KMS_KEY_CACHE_SIZE: int(0, 1_000_000).default(1024),
  /** How long an unwrapped data key stays in memory before the provider is asked again (0: never cached). */
  KMS_KEY_CACHE_TTL_SECONDS: int(0, 86_400).default(300),
  /** Days of the key-access log (the Transparency page) kept. */
  KEY_ACCESS_RETENTION_DAYS: int(1, 3650).default(90),
  /** Identical uses of a key within this many seconds are one row of the key-access log, with a count. */
  KEY_ACCESS_PERIOD_SECONDS: int(60, 86_400).default(60),

  FIRST_ADMIN_EMAIL: z.email().optional(),
  FIRST_ADMIN_PASSWORD: z.string().min(12, 'must be at least 12 characters').optional(),
  AUTH_RATE_LIMIT_PER_MINUTE: int(1, 100_000).default(5),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),

  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\//, 'must be a nats:// URL')
    .optional(),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// URL')
    .optional(),

  // Outbound email (password reset links; notifications later). Unset SMTP_HOST = no email.
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: int(1, 65535).default(587),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** STARTTLS on a plain port (587/25); port 465 always speaks TLS from the first byte. */
  SMTP_USE_TLS: bool.default(false),
  SMTP_FROM_ADDRESS: z.email().default('noreply@tod.local'),
  PASSWORD_RESET_MINUTES: int(5, 1440).default(30),

  POLL_INTERVAL_SECONDS: int(1, 3600).default(60),
  CONNECTION_TIMEOUT_SECONDS: int(1, 300).default(10),
  COMMAND_TIMEOUT_SECONDS: int(1, 600).default(30),
  CIRCUIT_BREAKER_MAX_FAILURES: int(1, 1000).default(5),
  CIRCUIT_BREAKER_BASE_BACKOFF_SECONDS: int(1, 86_400).default(30),
  CIRCUIT_BREAKER_MAX_BACKOFF_SECONDS: int(1, 86_400).default(900),
  // Poller and time series (features/poller, platform/timeseries).
  POLL_CONCURRENCY: int(1, 100_000).default(1000),
  POLL_SLOW_INTERVAL_SECONDS: int(10, 86_400).default(900),
  // Neighbours (topology) and radios (registrations, signal, RF): how fresh links and signal history are.
  POLL_LINKS_INTERVAL_SECONDS: int(10, 86_400).default(300),
  METRICS_RAW_RETENTION_DAYS: int(2, 3650).default(2),
  METRICS_5M_RETENTION_DAYS: int(8, 3650).default(8),
  METRICS_1H_RETENTION_DAYS: int(1, 3650).default(90),
  // Device logs (features/device-logs): days of log lines kept (whole daily partitions dropped), and the syslog
  // receiver of the worker role (UDP and TCP on one port; 0 = off; one process should own it).
  DEVICE_LOG_RETENTION_DAYS: int(1, 3650).default(30),
  SYSLOG_PORT: int(0, 65535).default(0),
  SYSLOG_HOST: z.string().min(1).default('0.0.0.0'),

  SHUTDOWN_TIMEOUT_SECONDS: int(1, 600).default(25),
  SCAN_RATE_LIMIT_PER_MINUTE: int(1, 1000).default(6),
  SCAN_TIMEOUT_MS: int(100, 10_000).default(1500),
  DEMO_BASE_PORT: int(1024, 65000).default(18700),

  // Device access (features/device-access): who TOD may connect to, and how much at once.
  /** Networks TOD never connects to (probe, scan, poll, any session), comma-separated CIDRs, IPv4 and IPv6. */
  DEVICE_NETWORKS_DENY: csv
    .superRefine((list, ctx) => {
      for (const item of list)
        try {
          parseCidr(item);
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
    })
    .default([]),
  /** API/SSH sessions per device beyond the poller's own, per device at once (RouterOS limits logins). */
  DEVICE_MAX_EXTRA_SESSIONS: int(1, 20).default(2),
  // A session slot's lease (renewed while open): a process that died frees its slots after this.
  DEVICE_SESSION_LEASE_SECONDS: int(5, 600).default(60),
  PROBE_RATE_LIMIT_PER_MINUTE: int(1, 10_000).default(30),
  /** Probes running at once in one process, and for one organisation in one process. */
  PROBE_MAX_CONCURRENT: int(1, 10_000).default(32),
  PROBE_MAX_CONCURRENT_PER_TENANT: int(1, 1000).default(8),

  // Config backups (features/config-backups).
  /** Backups running at once in one worker process. */
  BACKUP_CONCURRENCY: int(1, 1000).default(16),
  // Safe changes: operations run at once per worker process; the lease after which another process resumes an
  // operation whose process died; the longest wait for a router to undo a change by itself (safe mode on a
  // black-holed session reverts after RouterOS's 9-minute TCP timeout).
  CHANGE_CONCURRENCY: int(1, 1000).default(32),
  CHANGE_LEASE_SECONDS: int(5, 600).default(20),
  CHANGE_REVERT_WAIT_SECONDS: int(10, 3600).default(720),
  // The revert deadline on the device: this much for applying (plus 1 s per command), verifying, and a grace after
  // TOD's own deadline before the scheduler watchdog fires.
  CHANGE_APPLY_SECONDS: int(5, 600).default(20),
  CHANGE_VERIFY_SECONDS: int(5, 600).default(30),
  CHANGE_WATCHDOG_GRACE_SECONDS: int(5, 600).default(30),
  // Rollouts (features/rollouts): device steps in flight per worker process (each rollout also has its own
  // concurrency, counted across workers), and the lease after which another worker takes a dead one's devices over.
  ROLLOUT_CONCURRENCY: int(1, 10_000).default(200),
  ROLLOUT_LEASE_SECONDS: int(5, 600).default(30),
  // Firmware (features/firmware): TOD's package cache for routers without internet (unset: `<TOD_DATA_DIR>/firmware-cache`,
  // one folder per organisation), and the hours between checks of every router's RouterOS version and channel.
  FIRMWARE_CACHE_DIR: z.string().min(1).optional(),
  FIRMWARE_CHECK_INTERVAL_HOURS: int(1, 720).default(24),
  /** MikroTik's download server (`<url>/<version>/<file>.npk`), or a mirror of it, for an admin's "download into the cache". */
  FIRMWARE_DOWNLOAD_URL: z.url().default('https://download.mikrotik.com/routeros'),
  /** How long one package's download may take, headers to last byte. */
  FIRMWARE_DOWNLOAD_TIMEOUT_SECONDS: int(5, 3600).default(300),
  // Certificates (features/certificates): how long a router certificate signed by the organisation's CA lasts, and how
  // long before its end the daily job deploys its successor (the list shows it as expiring from then on).
  CERT_VALIDITY_DAYS: int(1, 3650).default(730),
  CERT_ROTATE_BEFORE_DAYS: int(1, 365).default(30),
  /** Days a report (features/reports) is kept after it was asked for; the daily retention job deletes older ones. */
  REPORT_RETENTION_DAYS: int(1, 3650).default(90),
  // Alert notifications (features/alerts): the outbox's sender in the worker role.
  /** First retry of a failed notification; each later one waits twice as long (at most an hour). */
  NOTIFY_RETRY_BASE_SECONDS: int(1, 3600).default(30),
  /** A notification still failing this long after its alert changed is given up (recorded as failed). */
  NOTIFY_GIVE_UP_HOURS: int(1, 168).default(24),
  /** One HTTP request or SMTP step to a receiver. */
  NOTIFY_TIMEOUT_SECONDS: int(1, 120).default(10),
  /** Notifications sent at once per worker process. */
  NOTIFY_CONCURRENCY: int(1, 256).default(16),
  /** Longest one device's backup may take (connect, export, binary, download). */
  BACKUP_DEVICE_TIMEOUT_SECONDS: int(10, 3600).default(300),
  /** First retry after a failure that may pass (timeouts, dropped transfers); each later one waits 4x longer. */
  BACKUP_RETRY_BASE_SECONDS: int(1, 86_400).default(60),
  /** A change seen by the poller is backed up this long after the first change (later changes join it). */
  BACKUP_CHANGE_DEBOUNCE_SECONDS: int(0, 3600).default(30),
  /** How long "Back up now" waits for the result before answering 202 with the job. */
  BACKUP_REQUEST_WAIT_SECONDS: int(0, 120).default(20),

  // The git mirror of config versions (platform/git): one bare repository per organisation.
  /** Unset: `<TOD_DATA_DIR>/git` (platform/git/mirror.ts gitStorePath). */
  GIT_STORE_PATH: z.string().min(1).optional(),
  GIT_PUSH_TIMEOUT_SECONDS: int(1, 3600).default(120),
  /** Local paths and file:// as push remotes: for tests only; a tenant must never make TOD write on its own disk. */
  GIT_ALLOW_LOCAL_REMOTES: bool.default(false),

  // WireGuard hub (features/vpn): one interface per organisation, each with a block of WIREGUARD_NETWORK and a port of
  // WIREGUARD_LISTEN_PORTS. The directory gets one wg-quick file per organisation and the nftables rules.
  /** Unset: `<TOD_DATA_DIR>/wireguard`. */
  WIREGUARD_CONFIG_PATH: z.string().min(1).optional(),
  /** The public host name or address routers dial (an organisation may set its own); unset: onboarding refuses. */
  WIREGUARD_ENDPOINT: z
    .string()
    .trim()
    .max(253)
    .regex(/^[A-Za-z0-9.:_-]+$/, 'a host name or IP address, without a port')
    .optional(),
  /** The IPv4 pool the organisations' blocks come from. */
  WIREGUARD_NETWORK: z
    .string()
    .default('10.99.0.0/16')
    .superRefine((s, ctx) => {
      try {
        const c = parseCidr(s);
        const host = c.address.split('.').reduce((n, o) => n * 256 + Number(o), 0);
        if (c.family !== 'ipv4' || c.prefix > 28 || (c.prefix > 0 && host % 2 ** (32 - c.prefix) !== 0))
          ctx.addIssue({
            code: 'custom',
            message: 'an IPv4 network address with a prefix of /0../28, like 10.99.0.0/16',
          });
      } catch (e) {
        ctx.addIssue({ code: 'custom', message: (e as Error).message });
      }
    }),
  /** The size of each organisation's block (/24: 253 routers); longer than WIREGUARD_NETWORK's prefix. */
  WIREGUARD_BLOCK_PREFIX: int(16, 29).default(24),
  /** UDP ports the hub listens on, one per organisation: `first-last`. */
  WIREGUARD_LISTEN_PORTS: portRange('51820-52819'),
  /** auto: apply the files with `wg`/`wg-quick`/`nft` where they are installed and TOD has CAP_NET_ADMIN; never: write only. */
  WIREGUARD_APPLY: z.enum(['auto', 'never']).default('auto'),
  /** A separate gateway: networks (TOD's hosts) allowed through the hub into the tunnels, masqueraded. */
  WIREGUARD_FORWARD_FROM: csv
    .superRefine((list, ctx) => {
      for (const item of list)
        try {
          if (parseCidr(item).family !== 'ipv4') ctx.addIssue({ code: 'custom', message: `${item}: IPv4 only` });
        } catch (e) {
          ctx.addIssue({ code: 'custom', message: (e as Error).message });
        }
    })
    .default([]),

  // Remote access (features/remote-access): WinBox tunnels listen on a port of WINBOX_PORT_RANGE on
  // WINBOX_BIND_ADDRESS; every TOD process shares the range (claims in PostgreSQL). The `winbox://` address names
  // WINBOX_PUBLIC_HOST, else the bind address, else the host name the browser used.
  WINBOX_PORT_RANGE: portRange('47000-47999'),
  WINBOX_BIND_ADDRESS: z.union([z.ipv4(), z.ipv6()]).default('0.0.0.0'),
  WINBOX_PUBLIC_HOST: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, 'a host name or address')
    .optional(),
});

// The Transit key provider: both settings or neither, and its token not in clear text across a network.
export const envSchema = envFields.superRefine((env, ctx) => {
  if ((env.OPENBAO_ADDR === undefined) !== (env.OPENBAO_TOKEN === undefined))
    ctx.addIssue({ code: 'custom', path: ['OPENBAO_ADDR'], message: 'set OPENBAO_ADDR and OPENBAO_TOKEN together' });
  if (env.OPENBAO_ADDR && env.ENVIRONMENT !== 'dev' && !env.OPENBAO_ALLOW_HTTP) {
    const url = new URL(env.OPENBAO_ADDR);
    const loopback = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/.test(url.hostname);
    if (url.protocol !== 'https:' && !loopback)
      ctx.addIssue({
        code: 'custom',
        path: ['OPENBAO_ADDR'],
        message: 'must be https:// outside dev unless it is a loopback address (or set OPENBAO_ALLOW_HTTP=true)',
      });
  }
});

export type Env = z.infer<typeof envSchema>;
