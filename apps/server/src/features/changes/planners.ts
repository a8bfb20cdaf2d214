import { isOrderedMenu } from '@tod/rsc';
import type { ChangeInput } from './changes.schema.js';
import { type PlannedCommand, planned, type Where } from './commands.js';
import { type Io, whereOf } from './device-io.js';
import type { Backups, PlanContext, Planned, Planner } from './engine.js';
import { planRestore } from './restore-plan.js';

// Planners turn an operation's request into planned commands, at the moment it runs (after the pre-change backup,
// on the operation's session). Later features register their own kinds (templates, bulk commands, firmware).

type Row = Record<string, string>;

export class InvalidChange extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(`change ${index + 1}: ${message}`);
  }
}

async function menuRows(io: Io, path: string, cache: Map<string, Row[]>): Promise<Row[]> {
  let rows = cache.get(path);
  if (!rows) {
    io.trips.n++;
    rows = (await io.client.command(`${path}/print`)) as Row[];
    cache.set(path, rows);
  }
  return rows;
}

/** The editor's changes as commands keyed by natural keys (ids looked up on the device now). */
export async function planEdits(io: Io, changes: readonly ChangeInput[]): Promise<PlannedCommand[]> {
  const cache = new Map<string, Row[]>();
  const out: PlannedCommand[] = [];
  for (const [i, c] of changes.entries()) {
    const rowWhere = async (id: string): Promise<Where> => {
      const rows = await menuRows(io, c.path, cache);
      const row = rows.find((r) => r['.id'] === id);
      if (!row) throw new InvalidChange(i, `no row ${id} in ${c.path} (it may have been removed)`);
      if (c.action === 'make-static') {
        // A dynamic lease is known by its MAC address (and server): that is what stays when it becomes static.
        const key = { 'mac-address': row['mac-address'] ?? '', ...(row.server ? { server: row.server } : {}) };
        return key;
      }
      if (row.dynamic === 'true') throw new InvalidChange(i, `row ${id} in ${c.path} is dynamic: RouterOS manages it`);
      return whereOf(c.path, row, rows);
    };
    const where = c.id ? await rowWhere(c.id) : c.where;
    let destination: Where | undefined;
    if (c.destination !== undefined) {
      if (!isOrderedMenu(c.path) && c.action === 'move') throw new InvalidChange(i, `${c.path} has no order`);
      destination = typeof c.destination === 'string' ? await rowWhere(c.destination) : c.destination;
    }
    out.push(
      planned({
        path: c.path,
        verb: c.action,
        ...(where ? { where } : {}),
        ...(c.properties && Object.keys(c.properties).length ? { properties: c.properties } : {}),
        ...(destination ? { destination } : {}),
      }),
    );
  }
  return out;
}

export function editPlanner(): Planner {
  return async ({ op, io }) => {
    const changes = (op.request as { changes: ChangeInput[] }).changes;
    return { commands: await planEdits(io, changes) };
  };
}

/** Restore and emergency rollback: the minimal diff from the pre-change config to the chosen version. */
export function restorePlanner(backups: Backups): Planner {
  return async ({ op, ref, preText }): Promise<Planned> => {
    const target = (op.request as { target_sha256: string }).target_sha256;
    const plan = planRestore(preText, await backups.text(ref, target));
    return { commands: plan.commands, unsupported: plan.unsupported, targetSha: target };
  };
}

export function planners(backups: Backups): Map<string, Planner> {
  return new Map<string, Planner>([
    ['edit', editPlanner()],
    ['restore', restorePlanner(backups)],
    ['rollback', restorePlanner(backups)],
    // A reset or replaced router: its whole configuration from the version's binary backup.
    [
      'restore_binary',
      async ({ op }) => {
        const sha = (op.request as { target_sha256: string }).target_sha256;
        return { commands: [], load: { sha256: sha }, targetSha: sha };
      },
    ],
  ]);
}
export type { PlanContext };
