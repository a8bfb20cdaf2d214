import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFirewall } from '../../src/features/vpn/firewall.js';
import { generateKeyPair, generatePresharedKey } from '../../src/features/vpn/keys.js';
import { renderHubConfig } from '../../src/features/vpn/wg-quick.js';
import { run } from '../../src/features/vpn/wg-tool.js';
import { hasBinary } from '../helpers/external.js';

// The hub's files read by the real tools (Debian's wireguard-tools and nftables; .ci/run installs both). Without
// CAP_NET_ADMIN and a kernel WireGuard there is no interface to load a configuration into, so the check is the parse
// `wg setconf` does before it talks to the kernel: a file it cannot parse fails with "Configuration parsing error";
// one it parsed fails only at the interface ("Unable to modify interface"). `nft -c` checks rules without loading.

const hasWg = hasBinary('wg') && hasBinary('wg-quick');
if (!hasWg)
  console.warn('SKIP (test/vpn/wg-tool.test.ts): `wg`/`wg-quick` not installed (apt-get install wireguard-tools)');
if (!hasBinary('nft')) console.warn('SKIP (test/vpn/wg-tool.test.ts): `nft` not installed (apt-get install nftables)');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tod-wg-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** What `wg setconf` makes of a wg-quick file: parsed (true), or its complaint. */
async function wgParses(text: string, name = 'todwg7'): Promise<true | string> {
  const file = join(dir, `${name}.conf`);
  await writeFile(file, text, { mode: 0o600 });
  const stripped = await run('wg-quick', ['strip', file]);
  if (stripped.code !== 0) return stripped.stderr;
  const plain = join(dir, `${name}.stripped`);
  await writeFile(plain, stripped.stdout, { mode: 0o600 });
  // An interface that cannot exist here, so a parsed file can never change this host.
  const r = await run('wg', ['setconf', 'todwg-no-such', plain]);
  if (r.code === 0) return true;
  return /Unable to (modify|access) interface/.test(r.stderr) &&
    !/parsing error|unrecognized|not the correct/i.test(r.stderr)
    ? true
    : r.stderr.trim();
}

function hubText(peers = 3) {
  return renderHubConfig(
    {
      tenantId: '00000000-0000-4000-8000-000000000001',
      interface: 'todwg7',
      privateKey: generateKeyPair().privateKey,
      listenPort: 51827,
      hubAddress: '10.99.7.1',
      prefix: 24,
      fingerprint: 'ab'.repeat(32),
    },
    Array.from({ length: peers }, (_, i) => ({
      id: `peer-${i}`,
      name: `router ${i}`,
      publicKey: generateKeyPair().publicKey,
      presharedKey: i % 2 === 0 ? generatePresharedKey() : null,
      address: `10.99.7.${i + 2}`,
    })),
  );
}

describe.skipIf(!hasWg)('wireguard-tools', () => {
  it('derives the same public keys as TOD (`wg pubkey`)', async () => {
    for (let i = 0; i < 5; i++) {
      const k = generateKeyPair();
      const r = await new Promise<string>((done, fail) => {
        const child = execFile('wg', ['pubkey'], (err, out) => (err ? fail(err) : done(out.trim())));
        child.stdin?.end(`${k.privateKey}\n`);
      });
      expect(r).toBe(k.publicKey);
    }
  });

  it('parses the hub configuration TOD writes, with and without peers', async () => {
    expect(await wgParses(hubText(0))).toBe(true);
    expect(await wgParses(hubText(40))).toBe(true);
  });

  it('refuses a configuration it cannot parse (the check can fail)', async () => {
    const bad = hubText(2).replace(/PublicKey = \S+/, 'PublicKey = abc');
    expect(await wgParses(bad)).toMatch(/Key is not the correct length or format/);
    expect(await wgParses(`${hubText(1)}Endpoint-Of-Nothing = 1\n`)).toMatch(/Line unrecognized/);
  });
});

describe.skipIf(!hasBinary('nft'))('nftables', () => {
  it('accepts the generated rules (`nft -c`), and refuses broken ones', async () => {
    const hubs = Array.from({ length: 20 }, (_, i) => ({ interface: `todwg${i}`, hubAddress: `10.99.${i}.1` }));
    for (const o of [
      { syslogPort: 0, forwardFrom: [] },
      { syslogPort: 514, forwardFrom: ['192.0.2.10/32', '198.51.100.0/24'] },
    ]) {
      const file = join(dir, 'tod-wireguard.nft');
      await writeFile(file, renderFirewall(hubs, o));
      const r = await run('nft', ['-c', '-f', file]);
      expect(r.code, r.stderr).toBe(0);
    }
    const broken = join(dir, 'broken.nft');
    await writeFile(broken, renderFirewall(hubs, { syslogPort: 0, forwardFrom: [] }).replace('!= 10.99.3.1', '!='));
    expect((await run('nft', ['-c', '-f', broken])).code).not.toBe(0);
  });
});
