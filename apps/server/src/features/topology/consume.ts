import type { Db } from '../../platform/db/tx.js';
import { recordEvents } from '../../platform/events/record.js';
import type { PollResult } from '../poller/types.js';
import { edgesOf } from './edges.js';
import { edgesRepo } from './edges.repo.js';
import { type Collected, type ObservationInsert, type OwnedMac, observationsRepo } from './observations.repo.js';
import { normalizeMac, observationsOf } from './observe.js';

// Ingest's topology step, in the batch's transaction: store what each router saw, then rebuild the edges of the
// routers in the batch from every sighting by or of them. A router TOD cannot reach vouches for nothing: its own
// sightings count as gone until it answers again (the other end's decide whether the link is up).

/** Rebuilds the edges of these devices; records `topology.changed` per organisation whose graph changed. */
export async function rebuildEdges(db: Db, deviceIds: string[]) {
  if (deviceIds.length === 0) return;
  const before = await edgesRepo.removeTouching(db, deviceIds);
  const after = edgesOf(await observationsRepo.touching(db, deviceIds));
  await edgesRepo.insert(db, after);
  const was = new Map(before.map((e) => [e.id, e.up]));
  const changed = new Map<string, number>();
  const note = (tenant: string) => changed.set(tenant, (changed.get(tenant) ?? 0) + 1);
  for (const e of after) {
    if (was.get(e.id) !== e.up) note(e.tenant_id);
    was.delete(e.id);
  }
  const removed = new Set(was.keys());
  for (const e of before) if (removed.has(e.id)) note(e.tenant_id);
  await recordEvents(
    db,
    [...changed].map(([tenantId, edges]) => ({ type: 'topology.changed', tenantId, payload: { edges } })),
  );
}

export async function consumeTopology(db: Db, results: readonly PollResult[]) {
  const rows: ObservationInsert[] = [];
  const collected: Collected[] = [];
  const touched = new Set<string>();
  const owned = new Map<string, OwnedMac>();
  for (const r of results) {
    for (const i of r.interfaces ?? []) {
      const mac = normalizeMac(i.macAddress);
      // A bridge shares its first port's MAC: the port is the better name for where a link ends.
      if (mac && (i.type !== 'bridge' || !owned.has(`${r.deviceId}|${mac}`)))
        owned.set(`${r.deviceId}|${mac}`, { tenant_id: r.tenantId, device_id: r.deviceId, mac, port: i.name });
    }
    if (r.status === 'offline') {
      collected.push({ device_id: r.deviceId, source: 'neighbor', at: r.at });
      collected.push({ device_id: r.deviceId, source: 'wireless', at: r.at });
      continue;
    }
    const seen = observationsOf(r);
    if (!seen) continue;
    touched.add(r.deviceId);
    for (const o of seen.rows) rows.push({ ...o, tenant_id: r.tenantId, device_id: r.deviceId, at: r.at });
    if (seen.neighbor) collected.push({ device_id: r.deviceId, source: 'neighbor', at: r.at });
    if (seen.wireless) collected.push({ device_id: r.deviceId, source: 'wireless', at: r.at });
  }
  for (const id of await observationsRepo.resolvePending(db, [...owned.values()])) touched.add(id);
  if (collected.length === 0 && touched.size === 0) return;
  await observationsRepo.upsert(db, rows);
  // An offline router with nothing current left to retire changes no edge.
  for (const id of await observationsRepo.markGone(db, collected)) touched.add(id);
  await rebuildEdges(db, [...touched]);
}
