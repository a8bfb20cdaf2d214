import { expect, it } from 'vitest';
import { headersFor } from '../helpers/seed.js';
import { startAlertsEnv, waitUntil } from './helpers.js';

// Deleting an organisation while its routers are polled and its alerts evaluated: ingest holds device rows and
// rows that reference the tenant at that moment; the deletion must neither deadlock nor fail (it once answered 500).

it('deletes organisations while their devices are polled and alerted on', async () => {
  const users = [{ name: 'admin', password: 'sim-pass' }];
  const e = await startAlertsEnv(
    Array.from({ length: 8 }, (_, i) => ({ identity: `d${i}`, version: '7.16', users, freeHdd: 100 })),
  );
  const sup = headersFor(e.seed, 'super_admin');
  const codes: string[] = [];
  try {
    for (let round = 0; round < 4; round++) {
      const t = (
        await e.ctx.app.inject({
          method: 'POST',
          url: '/api/tenants',
          headers: sup,
          payload: { name: `T${round}-${Date.now()}` },
        })
      ).json().id;
      for (let i = 0; i < 8; i++) {
        const d = e.fleet.devices[i]!;
        const r = await e.ctx.app.inject({
          method: 'POST',
          url: `/api/tenants/${t}/devices?probe=false`,
          headers: sup,
          payload: {
            name: `x${i}`,
            host: d.address,
            port: d.port,
            tls_port: 1,
            tls_mode: 'plain',
            username: d.username,
            password: d.password,
          },
        });
        expect(r.statusCode).toBe(201);
      }
      await waitUntil(
        'alerts',
        async () =>
          (await e.ctx.pools.system.query('select count(*)::int n from alert_events where tenant_id = $1', [t])).rows[0]
            .n > 3,
        30000,
      );
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      const r = await e.ctx.app.inject({ method: 'DELETE', url: `/api/tenants/${t}`, headers: sup });
      codes.push(`${r.statusCode} ${r.statusCode === 204 ? '' : r.body}`);
    }
    expect(codes.every((c) => c.startsWith('204'))).toBe(true);
  } finally {
    await e.stop();
  }
}, 300_000);
