import type pg from 'pg';
import type { z } from 'zod';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { type Db, withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import { devicesRepo } from '../devices/devices.repo.js';
import { edgeState, isDeviceNode } from './edges.js';
import { edgesRepo, type StoredEdge } from './edges.repo.js';
import { type CoreTree, coreTree, pathTo } from './paths.js';
import { rootsRepo } from './roots.repo.js';
import type { GraphQuery, graphNode } from './topology.schema.js';

type GraphNode = z.infer<typeof graphNode>;

type NodeDevice = {
  id: string;
  name: string;
  status: string;
  site_id: string | null;
  identity: string | null;
  host: string;
  model: string | null;
  version: string | null;
};

const FIELDS = ['name', 'status', 'site_id', 'identity', 'host', 'model', 'version'];
const ALL = 1_000_000;

/** Everything a graph answer is built from, read in one transaction. */
async function load(db: Db) {
  const devices = (await devicesRepo.list(db, { limit: ALL, offset: 0, sort: 'name', fields: FIELDS }))
    .rows as unknown as NodeDevice[];
  const edges = await edgesRepo.all(db);
  const roots = new Set(await rootsRepo.list(db));
  return { devices, edges, roots };
}

function treeOf(devices: readonly NodeDevice[], edges: readonly StoredEdge[], roots: ReadonlySet<string>): CoreTree {
  const nodes = new Set(devices.map((d) => d.id));
  for (const e of edges) {
    nodes.add(e.node_a);
    nodes.add(e.node_b);
  }
  return coreTree(
    [...nodes],
    edges.map((e) => ({ id: e.id, a: e.node_a, b: e.node_b, up: e.up })),
    isDeviceNode,
    roots,
  );
}

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function createTopologyService(deps: { appPool: pg.Pool }) {
  const inTenant = <T>(actor: Actor, fn: (db: Db) => Promise<T>) => withTenant(deps.appPool, actor.tenantId, fn);

  return {
    /** The organisation's graph, or the part a site, group or tag selects (with the neighbours just outside it). */
    async graph(actor: Actor, q: GraphQuery) {
      assertCan(actor, 'topology.read');
      const { devices, edges, roots, selected } = await inTenant(actor, async (db) => {
        const all = await load(db);
        let chosen: Set<string> | null = null;
        if (q.site_id || q.group_id || q.tag_id) {
          const filter = { limit: ALL, offset: 0, sort: 'name', fields: ['id'], ...q };
          chosen = new Set((await devicesRepo.list(db, filter)).rows.map((r) => r.id as string));
        }
        return { ...all, selected: chosen };
      });
      const tree = treeOf(devices, edges, roots);
      const now = Date.now();
      const inView = (node: string) => selected === null || selected.has(node);
      const shown = selected === null ? edges : edges.filter((e) => inView(e.node_a) || inView(e.node_b));
      const wanted = new Set<string>(selected ?? devices.map((d) => d.id));
      for (const e of shown) {
        wanted.add(e.node_a);
        wanted.add(e.node_b);
      }
      const depth = (id: string) => tree.distance.get(id) ?? null;
      const nodes: GraphNode[] = devices
        .filter((d) => wanted.has(d.id))
        .map((d) => ({
          id: d.id,
          device_id: d.id,
          label: d.name,
          status: d.status,
          managed: true,
          site_id: d.site_id,
          external: !inView(d.id),
          depth: depth(d.id),
          identity: d.identity,
          address: d.host,
          model: d.model,
          version: d.version,
        }));
      const unmanaged = new Map<string, GraphNode>();
      for (const e of shown) {
        const node = isDeviceNode(e.node_a) ? (isDeviceNode(e.node_b) ? null : e.node_b) : e.node_a;
        if (node === null || unmanaged.has(node)) continue;
        const u = e.unmanaged;
        unmanaged.set(node, {
          id: node,
          label: u?.identity ?? u?.address ?? u?.mac ?? node.slice(2),
          status: 'unmanaged',
          managed: false,
          site_id: null,
          external: false,
          depth: depth(node),
          mac: u?.mac ?? null,
          address: u?.address ?? null,
          identity: u?.identity ?? null,
          platform: u?.platform ?? null,
          board: u?.board ?? null,
          version: u?.version ?? null,
        });
      }
      const cores = new Map<string, boolean>();
      for (const c of tree.core.values()) cores.set(c.node, c.named);
      return {
        nodes: [...nodes, ...unmanaged.values()],
        edges: shown.map((e) => ({
          id: e.id,
          source: e.node_a,
          target: e.node_b,
          evidence: e.evidence,
          state: edgeState({ up: e.up, down_since: e.down_since }, now),
          down_since: iso(e.down_since),
          last_seen: e.last_seen.toISOString(),
          kind: e.evidence.some((x) => x.protocol === 'wireless') ? ('wireless' as const) : ('wired' as const),
        })),
        cores: [...cores]
          .filter(([node]) => isDeviceNode(node) && wanted.has(node))
          .map(([device_id, named]) => ({ device_id, named })),
        policies: { set_core: can(actor.principal, 'topology.write') },
      };
    },

    /** The path from the core of the device's part of the network to the device. */
    async upstream(actor: Actor, deviceId: string) {
      assertCan(actor, 'topology.read');
      const { devices, edges, roots } = await inTenant(actor, load);
      const byId = new Map(devices.map((d) => [d.id, d]));
      if (!byId.has(deviceId)) throw notFound('device');
      const tree = treeOf(devices, edges, roots);
      const edgeById = new Map(edges.map((e) => [e.id, e]));
      const path = pathTo(tree, deviceId).map((hop) => {
        const d = byId.get(hop.node);
        const e = hop.edge === null ? undefined : edgeById.get(hop.edge);
        return {
          node_id: hop.node,
          device_id: d ? d.id : null,
          label: d?.name ?? e?.unmanaged?.identity ?? e?.unmanaged?.address ?? hop.node.slice(2),
          status: d?.status ?? 'unmanaged',
          edge_id: hop.edge,
          edge_state: e ? edgeState({ up: e.up, down_since: e.down_since }) : null,
        };
      });
      const core = tree.core.get(deviceId);
      return {
        device_id: deviceId,
        core: core ? { device_id: core.node, named: core.named } : null,
        path,
        hops: tree.distance.get(deviceId) ?? null,
        via_down: tree.viaDown.has(deviceId),
      };
    },

    /** Hops from the core for each device (null when TOD knows no links of it): firmware upgrades farthest first. */
    async depths(actor: Actor, deviceIds: readonly string[]): Promise<Map<string, number | null>> {
      const { devices, edges, roots } = await inTenant(actor, load);
      const tree = treeOf(devices, edges, roots);
      return new Map(deviceIds.map((id) => [id, tree.distance.get(id) ?? null]));
    },

    async cores(actor: Actor) {
      assertCan(actor, 'topology.read');
      return { device_ids: await inTenant(actor, (db) => rootsRepo.list(db)) };
    },

    async setCores(actor: Actor, deviceIds: string[]) {
      assertCan(actor, 'topology.write');
      const ids = [...new Set(deviceIds)];
      await inTenant(actor, async (db) => {
        const found = new Set(await devicesRepo.existing(db, ids));
        const missing = ids.filter((id) => !found.has(id));
        if (missing.length > 0)
          throw new AppError(
            'target_not_found',
            `no such device in this organisation: ${missing.slice(0, 5).join(', ')}`,
          );
        await rootsRepo.replace(db, actor.tenantId as string, ids);
        await recordAudit(db, actor, {
          action: 'topology.cores_set',
          targetType: 'topology',
          details: { device_ids: ids },
        });
      });
      return { device_ids: ids.sort() };
    },
  };
}
export type TopologyService = ReturnType<typeof createTopologyService>;
