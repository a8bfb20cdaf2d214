import { type Fleet, startFleet } from '@tod/simulator';
import type pg from 'pg';
import type { Logger } from 'pino';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withSystem } from '../../platform/db/tx.js';
import { recordAudit } from '../audit/audit.service.js';
import type { DevicesService } from '../devices/devices.service.js';
import { DEMO_PASSWORD, demoSpecs, demoWorld, WRONG_PASSWORD_INDEX } from './demo.fleet.js';

export const DEMO_TENANT_NAME = 'Demo (simulated)';

/**
 * The demo fleet: simulated routers running inside this process on loopback ports, added to a flagged "Demo"
 * organisation. The rows survive a restart; the routers are started again with the process.
 */
export function createDemoService(deps: {
  systemPool: pg.Pool;
  devices: DevicesService;
  basePort: number;
  log: Logger;
}) {
  let fleet: Fleet | undefined;
  let starting: Promise<Fleet> | undefined;

  const demoTenant = async () =>
    (await deps.systemPool.query<{ id: string }>('select id from tenants where is_demo')).rows[0]?.id;

  async function ensureSimulator(): Promise<Fleet> {
    if (fleet) return fleet;
    starting ??= startFleet({
      specs: demoSpecs(),
      topology: demoWorld(),
      port: deps.basePort,
      host: '127.0.0.1',
    }).then((f) => {
      fleet = f;
      deps.log.info({ devices: f.devices.length, basePort: deps.basePort }, 'demo fleet simulator running');
      return f;
    });
    try {
      return await starting;
    } finally {
      starting = undefined;
    }
  }

  return {
    async status(actor: Actor) {
      assertCan(actor, 'demo.manage');
      const id = await demoTenant();
      const count = id
        ? Number((await deps.systemPool.query('select count(*) from devices where tenant_id = $1', [id])).rows[0].count)
        : 0;
      return { active: Boolean(id), tenant_id: id ?? null, devices: count, simulator_running: Boolean(fleet) };
    },

    /** Creates the demo organisation and its devices (idempotent), and starts the simulated routers. */
    async start(actor: Actor) {
      assertCan(actor, 'demo.manage');
      const sim = await ensureSimulator();
      let tenantId = await demoTenant();
      if (!tenantId) {
        tenantId = await withSystem(deps.systemPool, async (db) => {
          const t = await db.query<{ id: string }>(
            `insert into tenants (name, description, is_demo) values ($1, $2, true)
             on conflict do nothing returning id`,
            [DEMO_TENANT_NAME, 'Simulated routers for trying TOD. Remove it from Organisations or the setup wizard.'],
          );
          const id = t.rows[0]?.id ?? (await demoTenant())!;
          await recordAudit(db, actor, { action: 'demo.start', targetType: 'tenant', targetId: id }, id);
          return id;
        });
        const scoped: Actor = { ...actor, tenantId };
        for (const d of sim.devices) {
          await deps.devices.create(
            scoped,
            {
              name: d.identity,
              host: d.address,
              port: d.port,
              tls_port: d.tlsPort ?? d.port + 1,
              tls_mode: 'auto',
              username: 'admin',
              password: d.index === WRONG_PASSWORD_INDEX ? 'not-the-password' : DEMO_PASSWORD,
              notes: 'Simulated device (demo fleet).',
            },
            { probe: false, isDemo: true },
          );
        }
      }
      return this.status(actor);
    },

    /** Removes the demo organisation with everything in it, and stops the simulated routers. */
    async remove(actor: Actor) {
      assertCan(actor, 'demo.manage');
      const id = await demoTenant();
      if (id)
        await withSystem(deps.systemPool, async (db) => {
          await recordAudit(db, actor, { action: 'demo.remove', targetType: 'tenant', targetId: id }, id);
          await db.query('delete from tenants where id = $1 and is_demo', [id]);
        });
      await fleet?.stop();
      fleet = undefined;
      return { active: false, tenant_id: null, devices: 0, simulator_running: false };
    },

    /** At process start: bring the simulated routers back if a demo organisation exists. */
    async resume() {
      if (await demoTenant()) await ensureSimulator();
    },

    async stop() {
      await fleet?.stop();
      fleet = undefined;
    },
  };
}
export type DemoService = ReturnType<typeof createDemoService>;
