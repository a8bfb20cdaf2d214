import { describe, expect, it } from 'vitest';
import { type ConfigError, loadConfig } from '../../../src/platform/config/config.js';
import { keyCacheFromConfig, keyProvidersFromConfig } from '../../../src/platform/kms/providers.js';

// Choosing the key provider from the environment, and what the environment may not say.

const base = {
  ENVIRONMENT: 'production',
  DATABASE_URL: 'postgres://x@127.0.0.1/x',
  DB_APP_PASSWORD: 'an-app-password-0123456789',
  DB_SYSTEM_PASSWORD: 'a-system-password-0123456789',
  JWT_SECRET_KEY: 'a-jwt-secret-that-is-long-enough-0123456789abc',
  CREDENTIAL_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
};
const problems = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
    return [];
  } catch (e) {
    return (e as ConfigError).problems;
  }
};

describe('key provider configuration', () => {
  it('uses local without OpenBao, transit with it (local kept to read older keys)', () => {
    const plain = keyProvidersFromConfig(loadConfig(base));
    expect(plain.provider.name).toBe('local');
    const bao = keyProvidersFromConfig(
      loadConfig({ ...base, OPENBAO_ADDR: 'https://bao.example:8200', OPENBAO_TOKEN: 's.a-real-looking-token' }),
    );
    expect(bao.provider.name).toBe('transit');
    expect(bao.providers.map((p) => p.name)).toEqual(['local', 'transit']);
  });

  it('refuses half a configuration, a clear-text OpenBao across a network, and a bad mount', () => {
    expect(problems({ OPENBAO_ADDR: 'https://bao.example' })).toEqual([
      'OPENBAO_ADDR: set OPENBAO_ADDR and OPENBAO_TOKEN together',
    ]);
    const token = { OPENBAO_TOKEN: 's.a-real-looking-token' };
    expect(problems({ OPENBAO_ADDR: 'http://bao.example:8200', ...token })).toEqual([
      expect.stringMatching(/^OPENBAO_ADDR: must be https:\/\/ outside dev/),
    ]);
    expect(problems({ OPENBAO_ADDR: 'http://127.0.0.1:8200', ...token })).toEqual([]);
    expect(problems({ OPENBAO_ADDR: 'http://bao.example:8200', OPENBAO_ALLOW_HTTP: 'true', ...token })).toEqual([]);
    expect(problems({ OPENBAO_ADDR: 'http://bao.example:8200', ENVIRONMENT: 'dev', ...token })).toEqual([]);
    expect(problems({ OPENBAO_TRANSIT_MOUNT: '../sys' })).toEqual([expect.stringMatching(/^OPENBAO_TRANSIT_MOUNT/)]);
  });

  it('bounds the cache of unwrapped keys as configured', () => {
    expect(keyCacheFromConfig(loadConfig(base))).toEqual({ maxEntries: 1024, ttlMs: 300_000 });
    expect(
      keyCacheFromConfig(loadConfig({ ...base, KMS_KEY_CACHE_SIZE: '10', KMS_KEY_CACHE_TTL_SECONDS: '30' })),
    ).toEqual({ maxEntries: 10, ttlMs: 30_000 });
    expect(problems({ KMS_KEY_CACHE_SIZE: '-1' })).toHaveLength(1);
  });
});
