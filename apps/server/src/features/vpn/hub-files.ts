import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem } from '../../platform/db/tx.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import { FIREWALL_FILE, renderFirewall } from './firewall.js';
import { hubKeyContext, pskContext } from './seal.js';
import type { VpnSettings } from './settings.js';
import { type HubRow, type PeerRow, vpnRepo } from './vpn.repo.js';
import { renderHubConfig } from './wg-quick.js';
import { applyFirewall, applyInterface, hasTool, mayAdministerNetwork, removeInterface } from './wg-tool.js';

// The hub's files in WIREGUARD_CONFIG_PATH: `<interface>.conf` per organisation (wg-quick format, its private key
// and peers' preshared keys in the clear — hence mode 0600 in a 0700 directory) and `tod-wireguard.nft`. Written by
// the worker role: a domain-event handler rewrites an organisation's file once when its peers change, and a schedule
// reconciles everything (a deleted device's peer, a deleted organisation's file). Writers across processes take one
// advisory lock, read the committed state under it, and replace a file only when its content changed (temp file +
// rename: a reader never sees half a file). Where the tools are present and the process may change the network
// (CAP_NET_ADMIN), what changed is applied.

const LOCK = 'select pg_advisory_xact_lock(7243067, 1)';
const CONF = /^todwg\d+\.conf$/;

export type WriteResult = { written: string[]; removed: string[]; applyError: string | null };

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Replaces `path` with `content` unless it already holds exactly that. True when it wrote. */
export async function writeIfChanged(path: string, content: string): Promise<boolean> {
  const now = await readFile(path, 'utf8').catch(() => undefined);
  if (now === content) return false;
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, content, { mode: 0o600, flush: true });
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
  return true;
}

export function createHubWriter(deps: { systemPool: pg.Pool; envelope: Envelope; settings: VpnSettings; log: Logger }) {
  const { dir } = deps.settings;
  const use = useByWorker('vpn.hub_files', 'hub configuration');
  const open = async (tenantId: string, sealed: Buffer, context: string) =>
    (await deps.envelope.decrypt(tenantId, sealed, context, use)).toString('utf8');

  /**
   * What an organisation's file is made of, without opening a key: its ciphertexts stand for the keys. A file whose
   * header names the same fingerprint is current, so the schedule's pass opens no key for unchanged organisations.
   */
  function fingerprintOf(hub: HubRow, peers: PeerRow[]): string {
    const h = createHash('sha256');
    h.update(JSON.stringify([hub.interface, hub.listen_port, hub.network, hub.hub_address]));
    h.update(hub.private_key_enc);
    for (const p of peers) {
      h.update(JSON.stringify([p.id, p.device_name, p.public_key, p.address]));
      if (p.preshared_key_enc) h.update(p.preshared_key_enc);
    }
    return h.digest('hex');
  }

  /** Writes the organisation's file unless it is current; true when it wrote. */
  async function writeHub(db: pg.PoolClient, hub: HubRow): Promise<boolean> {
    const path = join(dir, `${hub.interface}.conf`);
    const peers = await vpnRepo.systemPeers(db, hub.tenant_id);
    const fingerprint = fingerprintOf(hub, peers);
    const now = await readFile(path, 'utf8').catch(() => '');
    if (now.includes(`\n# inputs ${fingerprint}\n`)) return false;
    const [, prefix] = hub.network.split('/');
    const text = renderHubConfig(
      {
        tenantId: hub.tenant_id,
        interface: hub.interface,
        privateKey: await open(hub.tenant_id, hub.private_key_enc, hubKeyContext(hub.tenant_id)),
        listenPort: hub.listen_port,
        hubAddress: hub.hub_address,
        prefix: Number(prefix),
        fingerprint,
      },
      await Promise.all(
        peers.map(async (p) => ({
          id: p.id,
          name: p.device_name,
          publicKey: p.public_key,
          address: p.address,
          presharedKey: p.preshared_key_enc ? await open(p.tenant_id, p.preshared_key_enc, pskContext(p.id)) : null,
        })),
      ),
    );
    return writeIfChanged(path, text);
  }

  /**
   * Writes one organisation's file (and the firewall, which names every hub), or with `all` every file, removing
   * those of organisations that are gone; then applies what changed where the tools are present.
   */
  async function write(scope: { tenantId: string } | 'all'): Promise<WriteResult> {
    return withSystem(deps.systemPool, async (db) => {
      await db.query(LOCK);
      const every = await vpnRepo.systemHubs(db);
      // An install without hubs gets no directory and no firewall table; one whose last hub went keeps them, emptied.
      if (every.length === 0 && !(await exists(join(dir, FIREWALL_FILE))))
        return { written: [], removed: [], applyError: null };
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const hubs = scope === 'all' ? every : every.filter((h) => h.tenant_id === scope.tenantId);
      const changed: HubRow[] = [];
      for (const hub of hubs) if (await writeHub(db, hub)) changed.push(hub);
      const firewall = renderFirewall(
        every.map((h) => ({ interface: h.interface, hubAddress: h.hub_address })),
        { syslogPort: deps.settings.syslogPort, forwardFrom: deps.settings.forwardFrom },
      );
      const firewallChanged = await writeIfChanged(join(dir, FIREWALL_FILE), firewall);
      const removed: string[] = [];
      if (scope === 'all') {
        const live = new Set(every.map((h) => `${h.interface}.conf`));
        for (const f of await readdir(dir))
          if (CONF.test(f) && !live.has(f)) {
            await rm(join(dir, f), { force: true });
            removed.push(f.replace(/\.conf$/, ''));
          }
      }
      const written = [...changed.map((h) => h.interface), ...(firewallChanged ? [FIREWALL_FILE] : [])];
      let applyError: string | null = null;
      if (deps.settings.apply && (changed.length > 0 || firewallChanged || removed.length > 0)) {
        const outcome = await apply(changed, firewallChanged, removed);
        applyError = outcome.error;
        // The firewall concerns every hub: its outcome is theirs too.
        const touched = firewallChanged ? every : changed;
        if (outcome.ran)
          await vpnRepo.systemApplied(
            db,
            touched.map((h) => h.tenant_id),
            applyError,
          );
      }
      if (written.length || removed.length)
        deps.log.info({ written, removed, applyError }, 'wireguard hub files written');
      return { written, removed, applyError };
    });
  }

  /** Applies with the tools that are here: whether any ran, and the failures. Missing tools are not a failure. */
  async function apply(changed: HubRow[], firewallChanged: boolean, removed: string[]) {
    const errors: string[] = [];
    let ran = false;
    if (!(await mayAdministerNetwork())) return { ran, error: null };
    const attempt = async (fn: () => Promise<void>) => {
      ran = true;
      try {
        await fn();
      } catch (e) {
        errors.push((e as Error).message);
      }
    };
    if ((await hasTool('wg')) && (await hasTool('wg-quick'))) {
      for (const h of changed) await attempt(() => applyInterface(join(dir, `${h.interface}.conf`), h.interface));
      for (const iface of removed) await attempt(() => removeInterface(iface));
    }
    if (firewallChanged && (await hasTool('nft'))) await attempt(() => applyFirewall(join(dir, FIREWALL_FILE)));
    return { ran, error: errors.length ? errors.join('; ').slice(0, 1000) : null };
  }

  return { write };
}
export type HubWriter = ReturnType<typeof createHubWriter>;
