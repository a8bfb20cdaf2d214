import { describe, expect, it } from 'vitest';
import { vpnSettings } from '../../src/features/vpn/settings.js';
import type { Config } from '../../src/platform/config/config.js';
import { envSchema } from '../../src/platform/config/env.js';

// The WIREGUARD_* settings: each checked by the env schema, and the block against the network when the feature is
// built (TOD refuses to start with the variables named).

const parse = (env: Record<string, string>) => envSchema.safeParse(env);
const messages = (env: Record<string, string>) => {
  const r = parse(env);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('WIREGUARD_* settings', () => {
  it('have working defaults', () => {
    const r = parse({});
    expect(r.success).toBe(true);
    expect(r.data).toMatchObject({
      WIREGUARD_NETWORK: '10.99.0.0/16',
      WIREGUARD_BLOCK_PREFIX: 24,
      WIREGUARD_LISTEN_PORTS: { first: 51820, last: 52819 },
      WIREGUARD_APPLY: 'auto',
      WIREGUARD_FORWARD_FROM: [],
    });
    expect(r.data?.WIREGUARD_ENDPOINT).toBeUndefined();
    expect(r.data?.WIREGUARD_CONFIG_PATH).toBeUndefined();
  });

  it('refuse what cannot work, naming the variable', () => {
    expect(messages({ WIREGUARD_NETWORK: '10.99.1.0/16' })[0]).toMatch(/^WIREGUARD_NETWORK: an IPv4 network address/);
    expect(messages({ WIREGUARD_NETWORK: 'fd00::/64' })[0]).toMatch(/^WIREGUARD_NETWORK:/);
    expect(messages({ WIREGUARD_NETWORK: '10.99.0.0/30' })[0]).toMatch(/^WIREGUARD_NETWORK:/);
    expect(messages({ WIREGUARD_LISTEN_PORTS: '52000-51000' })[0]).toMatch(/^WIREGUARD_LISTEN_PORTS: a port range/);
    expect(messages({ WIREGUARD_LISTEN_PORTS: '51820' })[0]).toMatch(/^WIREGUARD_LISTEN_PORTS:/);
    expect(messages({ WIREGUARD_ENDPOINT: 'vpn.example.net:51820/x' })[0]).toMatch(/^WIREGUARD_ENDPOINT:/);
    expect(messages({ WIREGUARD_FORWARD_FROM: '192.0.2.10/32,fd00::/8' })[0]).toMatch(/^WIREGUARD_FORWARD_FROM: fd00/);
    expect(messages({ WIREGUARD_APPLY: 'sometimes' })[0]).toMatch(/^WIREGUARD_APPLY:/);
    expect(messages({ WIREGUARD_BLOCK_PREFIX: '31' })[0]).toMatch(/^WIREGUARD_BLOCK_PREFIX:/);
  });

  it('a block that does not fit the network stops the feature at start', () => {
    const config = {
      ...envSchema.parse({ WIREGUARD_NETWORK: '10.99.0.0/24', WIREGUARD_BLOCK_PREFIX: '24' }),
      dataDir: '/var/lib/tod',
    } as Config;
    expect(() => vpnSettings(config)).toThrow(/WIREGUARD_BLOCK_PREFIX \(\/24\) must be longer than WIREGUARD_NETWORK/);
    const ok = vpnSettings({ ...config, WIREGUARD_BLOCK_PREFIX: 26 } as Config);
    expect(ok.dir).toBe('/var/lib/tod/wireguard');
    expect(ok.pool).toMatchObject({ prefix: 24, blockPrefix: 26 });
  });
});
