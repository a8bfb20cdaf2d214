import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { type Env, envSchema } from './env.js';
import { isInsecureSecret } from './insecure.js';
import { type GeneratedSecrets, loadOrCreateSecrets } from './secrets.js';

export type Config = Env & {
  dataDir: string;
  jwtSecret: string;
  credentialKey: Buffer;
  dbAppPassword: string;
  dbSystemPassword: string;
  /** Where generated dev secrets live, if any were generated or loaded. */
  secretsFile?: string;
  generatedSecrets: string[];
  embeddedDb: boolean;
  isProduction: boolean;
  /** Where the METRICS_PORT listener binds (METRICS_HOST, else loopback in production, else HOST). */
  metricsHost: string;
};

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Environment first, then an optional .env file for anything the environment does not set. */
export function readEnvironment(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const file = resolve(cwd, '.env');
  const fromFile = existsSync(file) ? parseEnv(readFileSync(file, 'utf8')) : {};
  const merged: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...fromFile, ...env })) if (v !== undefined && v !== '') merged[k] = v;
  return merged;
}

/**
 * Validates every setting at once and reports all problems together. In dev, missing secrets are generated into the
 * data directory; in staging/production a missing or known-insecure secret is an error naming the variable.
 */
export function loadConfig(raw: Record<string, string | undefined> = readEnvironment()): Config {
  const parsed = envSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  const strict = env.ENVIRONMENT !== 'dev';
  const dataDir = resolve(env.TOD_DATA_DIR);
  const embeddedDb = !env.DATABASE_URL;

  if (strict) {
    if (isInsecureSecret(env.JWT_SECRET_KEY))
      problems.push('JWT_SECRET_KEY: missing or a known insecure value; generate one (64 random bytes)');
    if (isInsecureSecret(env.CREDENTIAL_ENCRYPTION_KEY))
      problems.push('CREDENTIAL_ENCRYPTION_KEY: missing or a known insecure value; generate 32 random bytes, base64');
    if (env.OPENBAO_TOKEN !== undefined && isInsecureSecret(env.OPENBAO_TOKEN))
      problems.push('OPENBAO_TOKEN: a known insecure value; use a real token');
    if (!embeddedDb && (!env.DB_APP_PASSWORD || !env.DB_SYSTEM_PASSWORD))
      problems.push('DB_APP_PASSWORD and DB_SYSTEM_PASSWORD: required with an external DATABASE_URL outside dev');
    if (env.METRICS_TOKEN !== undefined && isInsecureSecret(env.METRICS_TOKEN))
      problems.push('METRICS_TOKEN: a known insecure value; generate one (openssl rand -base64 32)');
    // Packages go onto customers' routers: fetched over TLS only (RouterOS checks their signature as well).
    if (!env.FIRMWARE_DOWNLOAD_URL.startsWith('https://'))
      problems.push('FIRMWARE_DOWNLOAD_URL: must be https:// outside dev');
  }
  if ((env.SMTP_USER === undefined) !== (env.SMTP_PASSWORD === undefined))
    problems.push('SMTP_USER and SMTP_PASSWORD: set both or neither');
  if (env.CIRCUIT_BREAKER_BASE_BACKOFF_SECONDS > env.CIRCUIT_BREAKER_MAX_BACKOFF_SECONDS)
    problems.push('CIRCUIT_BREAKER_BASE_BACKOFF_SECONDS: must not exceed CIRCUIT_BREAKER_MAX_BACKOFF_SECONDS');
  if (problems.length) throw new ConfigError(problems);

  // Generated secrets: always allowed for the embedded database's role passwords (nobody else uses them), and in
  // dev for the signing and encryption keys.
  const wanted: (keyof GeneratedSecrets)[] = [];
  if (!env.JWT_SECRET_KEY) wanted.push('JWT_SECRET_KEY');
  if (!env.CREDENTIAL_ENCRYPTION_KEY) wanted.push('CREDENTIAL_ENCRYPTION_KEY');
  if (!env.DB_APP_PASSWORD) wanted.push('DB_APP_PASSWORD');
  if (!env.DB_SYSTEM_PASSWORD) wanted.push('DB_SYSTEM_PASSWORD');
  if (embeddedDb) wanted.push('EMBEDDED_PG_PASSWORD');
  const store = wanted.length ? loadOrCreateSecrets(dataDir, wanted) : undefined;
  const pick = (k: keyof GeneratedSecrets, given: string | undefined) => given ?? store?.values[k] ?? '';

  return {
    ...env,
    dataDir,
    jwtSecret: pick('JWT_SECRET_KEY', env.JWT_SECRET_KEY),
    credentialKey: Buffer.from(pick('CREDENTIAL_ENCRYPTION_KEY', env.CREDENTIAL_ENCRYPTION_KEY), 'base64'),
    dbAppPassword: pick('DB_APP_PASSWORD', env.DB_APP_PASSWORD),
    dbSystemPassword: pick('DB_SYSTEM_PASSWORD', env.DB_SYSTEM_PASSWORD),
    secretsFile: store?.file,
    generatedSecrets: store?.created ?? [],
    embeddedDb,
    isProduction: env.ENVIRONMENT === 'production',
    metricsHost: env.METRICS_HOST ?? (env.ENVIRONMENT === 'production' ? '127.0.0.1' : env.HOST),
  };
}

export function embeddedPgPassword(config: Config): string {
  return loadOrCreateSecrets(config.dataDir, ['EMBEDDED_PG_PASSWORD']).values.EMBEDDED_PG_PASSWORD ?? '';
}
