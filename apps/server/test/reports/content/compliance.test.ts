import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReport, type ReportDeps } from '../../../src/features/reports/content/index.js';
import { withSystem } from '../../../src/platform/db/tx.js';
import { addSimDevice, type BackupEnv, backupNow, routerApi, startBackupEnv } from '../../config-backups/helpers.js';
import { quick } from '../../firmware/helpers.js';
import { expectStatus } from '../../helpers/api.js';
import { csvSections, DAY, depsOf, parseCsv, pdfText } from './helpers.js';

// The compliance report over simulated routers: backups captured from them over SSH, their channels checked by the
// firmware feature, a template's drift computed by the templates feature, and the credentials TOD logs in with.
//   r-default  7.16,    admin with an empty password (the simulator's default), /ip service untouched, input drop
//   r-weak     6.48.6,  admin with a short password, telnet off, ssh and api limited, winbox "limited" to 0.0.0.0/0,
//              no input drop
//   r-strong   7.20.4,  its own user with a long password, never backed up

const WEAK = 'Zq9!';
const STRONG = 'correct-horse-battery-staple-42';
let e: BackupEnv;
let deps: ReportDeps;
const ids: string[] = [];
const NOW = new Date();
const p = (format: 'pdf' | 'csv' = 'pdf') => ({
  kind: 'compliance' as const,
  from: new Date(NOW.getTime() - DAY),
  to: NOW,
  format,
});

beforeAll(async () => {
  e = await startBackupEnv([
    quick({ identity: 'r-default', version: '7.16' }),
    quick({
      identity: 'r-weak',
      version: '6.48.6',
      users: [{ name: 'admin', password: WEAK }],
      generate: { firewallRules: 1 },
    }),
    quick({ identity: 'r-strong', version: '7.20.4', users: [{ name: 'tod', password: STRONG }] }),
  ]);
  deps = depsOf(e.ctx, NOW);
  for (let i = 0; i < 3; i++) ids.push(await addSimDevice(e, i));
  await withSystem(e.ctx.pools.system, async (db) => {
    for (const [i, name] of ['r-default', 'r-weak', 'r-strong'].entries())
      await db.query('update devices set name = $2 where id = $1', [ids[i], name]);
  });
  const c = await routerApi(e, 1);
  await c.command('/ip/service/set', { numbers: 'telnet', disabled: 'yes' });
  await c.command('/ip/service/set', { numbers: 'ssh', address: '127.0.0.0/8' });
  await c.command('/ip/service/set', { numbers: 'api', address: '127.0.0.1/32,10.0.0.0/8' });
  await c.command('/ip/service/set', { numbers: 'winbox', address: '0.0.0.0/0' });
  await c.close();
  for (const i of [0, 1]) expect((await backupNow(e, ids[i]!)).job.status).toBe('succeeded');
  expect(expectStatus<{ checked: number }>(await e.admin.post(`${e.base}/firmware/check`), 200).checked).toBe(3);
  // A template that turns telnet off, as a push would have left it assigned; the templates feature checks drift.
  const t = expectStatus<{ id: string }>(
    await e.admin.post(`${e.base}/templates`, { name: 'No telnet', body: '/ip service\nset telnet disabled=yes\n' }),
    201,
  );
  for (const i of [0, 1])
    await e.ctx.services.templates.assigned(e.seed.a.id, {
      templateId: t.id,
      deviceId: ids[i]!,
      rolloutId: randomUUID(),
      set: {},
    });
  expectStatus(await e.admin.post(`${e.base}/templates/${t.id}/drift/check`), 200);
}, 120_000);
afterAll(() => e?.stop());

const tenant = () => ({ id: e.seed.a.id, name: 'Tenant A' });

describe('compliance report', () => {
  it('versions against the channel, weak credentials, exposed services, firewall, drift, not assessed', async () => {
    const r = await buildReport(deps, tenant(), p());
    const text = await pdfText(r.data);
    // The overview row of each device.
    expect(text).toMatch(
      /r-default\s+7\.16\s+outdated\s+finding\s+telnet, ftp, www, ssh, api, winbox, api-ssl\s+yes\s+1 drifted/,
    );
    expect(text).toMatch(/r-weak\s+6\.48\.6\s+outdated\s+finding\s+ftp, www, winbox, api-ssl\s+no\s+in sync/);
    expect(text).toMatch(/r-strong\s+7\.20\.4\s+current\s+ok\s+not assessed\s+–\s+no template/);
    // The findings.
    expect(text).toMatch(/r-default\s+7\.16\s+stable\s+7\.20\.4\s+outdated/);
    expect(text).toMatch(/r-weak\s+6\.48\.6\s+stable\s+6\.49\.17\s+outdated/);
    expect(text).toMatch(/r-default\s+admin\s+default credentials \(admin, empty password\)/);
    expect(text).toMatch(/r-weak\s+admin\s+short password \(under 8 characters\)/);
    expect(text).toMatch(/r-weak\s+1\s+no input-chain rule drops or rejects/);
    expect(text).toMatch(/No telnet\s+r-default\s+drifted/);
    expect(text).toMatch(/No telnet\s+r-weak\s+in sync/);
    expect(text).toMatch(/r-strong\s+no configuration backup/);
    expect(text).toMatch(/Not assessed \(no backup\)\s+1/);
    // Never a password.
    expect(text).not.toContain(WEAK);
    expect(text).not.toContain(STRONG);
    expect(r.summary).toMatchObject({
      devices: 3,
      assessed: 2,
      not_assessed: 1,
      outdated: 2,
      weak_credentials: 2,
      exposed_services: 2,
      no_input_drop: 1,
      drifted: 1,
    });
  });

  it('as CSV: the exposed services of each device, one row each', async () => {
    const r = await buildReport(deps, tenant(), p('csv'));
    const text = r.data.toString('utf8');
    expect(text).not.toContain(WEAK);
    expect(text).not.toContain(STRONG);
    const rows = csvSections(parseCsv(text)).get('Services exposed to any address')!.rows;
    const of = (device: string) => rows.filter((x) => x[0] === device).map((x) => `${x[1]}:${x[2]}`);
    expect(of('r-default')).toEqual([
      'telnet:23',
      'ftp:21',
      'www:80',
      'ssh:22',
      'api:8728',
      'winbox:8291',
      'api-ssl:8729',
    ]);
    expect(of('r-weak')).toEqual(['ftp:21', 'www:80', 'winbox:8291', 'api-ssl:8729']);
    expect(of('r-strong')).toEqual([]);
  });

  it("opens secrets under the purpose 'compliance report' and scopes to the organisation", async () => {
    await e.ctx.services.keyAccessLog.flush();
    const uses = await withSystem(e.ctx.pools.system, async (db) =>
      (
        await db.query<{ object: string }>(
          `select object from key_access_log where tenant_id = $1 and purpose = 'compliance report' and op = 'decrypt'`,
          [e.seed.a.id],
        )
      ).rows.map((x) => x.object),
    );
    for (const id of ids) expect(uses).toContain(`device:${id}:password`);
    // The backups it read, too.
    for (const id of ids.slice(0, 2)) expect(uses.some((o) => o.startsWith(`config:${id}:`))).toBe(true);
    // Tenant B has no devices: its report is empty, and names none of A's.
    const b = await pdfText((await buildReport(deps, { id: e.seed.b.id, name: 'B' }, p())).data);
    expect(b).not.toMatch(/r-default|r-weak|r-strong/);
    expect(b).toMatch(/Devices\s+0/);
  });
});
