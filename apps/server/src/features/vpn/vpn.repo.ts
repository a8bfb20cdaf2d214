import type { Db } from '../../platform/db/tx.js';
import type { Taken } from './addressing.js';

// The only SQL on vpn_hubs and vpn_peers. Request paths run as `app` in the organisation's transaction (RLS); the
// hub writer and the status reader are cross-tenant by design and run on the system pool (the `system*` methods).

export type HubRow = {
  tenant_id: string;
  slot: number;
  interface: string;
  listen_port: number;
  network: string;
  hub_address: string;
  public_key: string;
  private_key_enc: Buffer;
  endpoint_host: string | null;
  keepalive_seconds: number;
  router_interface: string;
  applied_at: Date | null;
  apply_error: string | null;
  status_at: Date | null;
  created_at: Date;
  updated_at: Date;
};
export type PeerRow = {
  id: string;
  tenant_id: string;
  device_id: string;
  device_name: string;
  address: string;
  public_key: string;
  private_key_enc: Buffer;
  preshared_key_enc: Buffer | null;
  last_handshake_at: Date | null;
  rx_bytes: string | null;
  tx_bytes: string | null;
  endpoint: string | null;
  status_at: Date | null;
  created_at: Date;
};
export type NewHub = Pick<
  HubRow,
  'tenant_id' | 'slot' | 'interface' | 'listen_port' | 'network' | 'hub_address' | 'public_key' | 'private_key_enc'
>;
export type NewPeer = Pick<
  PeerRow,
  'id' | 'tenant_id' | 'device_id' | 'address' | 'public_key' | 'private_key_enc' | 'preshared_key_enc'
>;
export type StatusRow = {
  interface: string;
  public_key: string;
  handshake: string | null;
  rx: string;
  tx: string;
  endpoint: string | null;
};
export type HubSettings = Partial<Pick<HubRow, 'endpoint_host' | 'keepalive_seconds' | 'router_interface'>>;

const HUB = `tenant_id, slot, interface, listen_port, network::text as network, host(hub_address) as hub_address,
  public_key, private_key_enc, endpoint_host, keepalive_seconds, router_interface, applied_at, apply_error, status_at,
  created_at, updated_at`;
const PEER = `p.id, p.tenant_id, p.device_id, d.name as device_name, host(p.address) as address, p.public_key,
  p.private_key_enc, p.preshared_key_enc, p.last_handshake_at, p.rx_bytes::text as rx_bytes,
  p.tx_bytes::text as tx_bytes, p.endpoint, p.status_at, p.created_at`;

export const vpnRepo = {
  async hub(db: Db, opts: { lock?: boolean } = {}): Promise<HubRow | undefined> {
    const r = await db.query<HubRow>(`select ${HUB} from vpn_hubs${opts.lock ? ' for update' : ''}`);
    return r.rows[0];
  },

  async insertHub(db: Db, h: NewHub): Promise<void> {
    await db.query(
      `insert into vpn_hubs (tenant_id, slot, interface, listen_port, network, hub_address, public_key, private_key_enc)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [h.tenant_id, h.slot, h.interface, h.listen_port, h.network, h.hub_address, h.public_key, h.private_key_enc],
    );
  },

  async updateHub(db: Db, s: HubSettings): Promise<void> {
    const keys = (Object.keys(s) as (keyof HubSettings)[]).filter((k) => s[k] !== undefined);
    if (keys.length === 0) return;
    await db.query(
      `update vpn_hubs set ${keys.map((k, i) => `${k} = $${i + 1}`).join(', ')}`,
      keys.map((k) => s[k]),
    );
  },

  async peers(db: Db): Promise<PeerRow[]> {
    const r = await db.query<PeerRow>(
      `select ${PEER} from vpn_peers p join devices d on d.id = p.device_id order by p.address`,
    );
    return r.rows;
  },

  async peer(db: Db, id: string): Promise<PeerRow | undefined> {
    const r = await db.query<PeerRow>(
      `select ${PEER} from vpn_peers p join devices d on d.id = p.device_id where p.id = $1`,
      [id],
    );
    return r.rows[0];
  },

  async peerOfDevice(db: Db, deviceId: string): Promise<{ id: string } | undefined> {
    return (await db.query<{ id: string }>('select id from vpn_peers where device_id = $1', [deviceId])).rows[0];
  },

  async addresses(db: Db): Promise<Set<string>> {
    const r = await db.query<{ a: string }>('select host(address) as a from vpn_peers');
    return new Set(r.rows.map((x) => x.a));
  },

  async insertPeer(db: Db, p: NewPeer): Promise<void> {
    await db.query(
      `insert into vpn_peers (id, tenant_id, device_id, address, public_key, private_key_enc, preshared_key_enc)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [p.id, p.tenant_id, p.device_id, `${p.address}/32`, p.public_key, p.private_key_enc, p.preshared_key_enc],
    );
  },

  async deletePeer(db: Db, id: string): Promise<boolean> {
    return ((await db.query('delete from vpn_peers where id = $1', [id])).rowCount ?? 0) > 0;
  },

  async peerCount(db: Db): Promise<number> {
    return (await db.query<{ n: number }>('select count(*)::int as n from vpn_peers')).rows[0]?.n ?? 0;
  },

  // Cross-tenant (system pool).

  /** What hubs of every organisation hold: a new hub takes none of it. */
  async systemTaken(db: Db): Promise<Taken> {
    const r = await db.query<{ slot: number; listen_port: number; network: string; interface: string }>(
      'select slot, listen_port, network::text as network, interface from vpn_hubs',
    );
    return {
      slots: new Set(r.rows.map((x) => x.slot)),
      ports: new Set(r.rows.map((x) => x.listen_port)),
      networks: r.rows.map((x) => x.network),
      interfaces: new Set(r.rows.map((x) => x.interface)),
    };
  },

  async systemHubs(db: Db, tenantId?: string): Promise<HubRow[]> {
    const r = await db.query<HubRow>(
      `select ${HUB} from vpn_hubs where ($1::uuid is null or tenant_id = $1) order by slot`,
      [tenantId ?? null],
    );
    return r.rows;
  },

  async systemPeers(db: Db, tenantId: string): Promise<PeerRow[]> {
    const r = await db.query<PeerRow>(
      `select ${PEER} from vpn_peers p join devices d on d.id = p.device_id where p.tenant_id = $1 order by p.address`,
      [tenantId],
    );
    return r.rows;
  },

  async systemApplied(db: Db, tenantIds: readonly string[], error: string | null): Promise<void> {
    await db.query('update vpn_hubs set applied_at = now(), apply_error = $2 where tenant_id = any($1::uuid[])', [
      tenantIds,
      error,
    ]);
  },

  /** Stores the handshakes and counters a dump shows, matched by interface and public key. */
  async systemStatus(db: Db, interfaces: readonly string[], rows: readonly StatusRow[]): Promise<number> {
    await db.query('update vpn_hubs set status_at = now() where interface = any($1::text[])', [interfaces]);
    if (rows.length === 0) return 0;
    const r = await db.query(
      `update vpn_peers p set last_handshake_at = x.handshake, rx_bytes = x.rx, tx_bytes = x.tx, endpoint = x.endpoint,
              status_at = now()
         from json_to_recordset($1::json) as x(interface text, public_key text, handshake timestamptz, rx bigint,
              tx bigint, endpoint text), vpn_hubs h
        where h.interface = x.interface and p.tenant_id = h.tenant_id and p.public_key = x.public_key`,
      [JSON.stringify(rows)],
    );
    return r.rowCount ?? 0;
  },
};
