import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/platform/config/config.js';
import { runTod } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'tod-cfg-'));
const problems = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
};

describe('configuration', () => {
  it('reports every problem at once', () => {
    const p = problems({ PORT: 'abc', LOG_LEVEL: 'loud', ENVIRONMENT: 'prod', DATABASE_URL: 'mysql://x' });
    expect(p.map((x) => x.split(':')[0]).sort()).toEqual(['DATABASE_URL', 'ENVIRONMENT', 'LOG_LEVEL', 'PORT']);
  });

  it('production refuses missing or known-insecure secrets, naming each variable', () => {
    const p = problems({ ENVIRONMENT: 'production', TOD_DATA_DIR: tmp() });
    expect(p.join('\n')).toMatch(/JWT_SECRET_KEY/);
    expect(p.join('\n')).toMatch(/CREDENTIAL_ENCRYPTION_KEY/);
    const weak = problems({
      ENVIRONMENT: 'staging',
      JWT_SECRET_KEY: 'change-me-in-production-please-0123456789',
      CREDENTIAL_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64'),
      OPENBAO_ADDR: 'https://bao.example:8200',
      OPENBAO_TOKEN: 'dev-only-token',
      FIRMWARE_DOWNLOAD_URL: 'http://mirror.example/routeros',
    });
    expect(weak.map((x) => x.split(':')[0]).sort()).toEqual([
      'CREDENTIAL_ENCRYPTION_KEY',
      'FIRMWARE_DOWNLOAD_URL',
      'JWT_SECRET_KEY',
      'OPENBAO_TOKEN',
    ]);
  });

  it('dev generates missing secrets into the data directory with mode 0600, and reuses them', () => {
    const dir = tmp();
    const a = loadConfig({ TOD_DATA_DIR: dir });
    expect(a.generatedSecrets).toEqual(expect.arrayContaining(['JWT_SECRET_KEY', 'CREDENTIAL_ENCRYPTION_KEY']));
    expect(statSync(join(dir, 'secrets.env')).mode & 0o777).toBe(0o600);
    expect(a.credentialKey.length).toBe(32);
    const b = loadConfig({ TOD_DATA_DIR: dir });
    expect(b.generatedSecrets).toEqual([]);
    expect(b.jwtSecret).toBe(a.jwtSecret);
    expect(readFileSync(join(dir, 'secrets.env'), 'utf8')).toContain(a.jwtSecret);
  });

  it('applies the documented defaults', () => {
    const c = loadConfig({ TOD_DATA_DIR: tmp() });
    expect(c).toMatchObject({
      ENVIRONMENT: 'dev',
      PORT: 3000,
      JWT_ACCESS_TOKEN_EXPIRE_MINUTES: 15,
      JWT_REFRESH_TOKEN_EXPIRE_DAYS: 7,
      AUTH_RATE_LIMIT_PER_MINUTE: 5,
      POLL_INTERVAL_SECONDS: 60,
      FIRMWARE_DOWNLOAD_URL: 'https://download.mikrotik.com/routeros',
      embeddedDb: true,
    });
  });
});

describe('the tod program', () => {
  it('--help lists the commands', async () => {
    const r = await runTod(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of ['start', 'migrate', 'create-admin']) expect(r.stdout).toContain(`tod ${cmd}`);
  });

  it('an unknown command or role is a usage error', async () => {
    expect((await runTod(['frobnicate'])).code).toBe(2);
    const roles = await runTod(['start', '--roles', 'api,chef'], { TOD_DATA_DIR: tmp() });
    expect(roles.code).toBe(1);
    expect(roles.stderr).toContain('chef');
  });

  it('production with default secrets exits 1 naming the variable', async () => {
    const r = await runTod(['start'], {
      ENVIRONMENT: 'production',
      TOD_DATA_DIR: tmp(),
      JWT_SECRET_KEY: 'change-me-in-production-please-0123456789',
      CREDENTIAL_ENCRYPTION_KEY: 'k2hF0c7QbK9mZr4XwT1yV8uN3pL6sD5eG2aJ0iO7qRs=',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('JWT_SECRET_KEY');
    expect(r.stderr).not.toContain('CREDENTIAL_ENCRYPTION_KEY');
    expect(r.stderr).not.toContain('change-me-in-production'); // never echo a secret back
  });
});
