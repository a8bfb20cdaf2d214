import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DomainEvent, type JsonValue, startEventDispatcher } from '../../src/platform/events/index.js';
import { log, startPipeline, waitFor } from '../poller/poller-fixture.js';
import { addSimDevice, type BackupEnv, backupNow, routerApi, startBackupEnv, versions } from './helpers.js';

// A configuration change made outside TOD: the poller sees it in the router's log, the event's handler queues a
// backup (debounced), and the new version says who changed what.

let e: BackupEnv;
let id: string;
let pipeline: Awaited<ReturnType<typeof startPipeline>>;
let dispatcher: Awaited<ReturnType<typeof startEventDispatcher>>;

beforeAll(async () => {
  e = await startBackupEnv(
    [
      {
        users: [
          { name: 'admin', password: 'sim-pass' },
          { name: 'alice', password: 'alice-pass', group: 'full' },
        ],
      },
    ],
    { BACKUP_CHANGE_DEBOUNCE_SECONDS: '1' },
  );
  id = await addSimDevice(e, 0);
  pipeline = await startPipeline(e.ctx, { options: { slowIntervalMs: 1500 } });
  dispatcher = await startEventDispatcher({
    systemPool: e.ctx.pools.system,
    handlers: e.ctx.services.assembly.handlers(),
    log,
    registry: new Registry(),
  });
}, 60_000);
afterAll(async () => {
  await dispatcher?.stop();
  await pipeline?.stop();
  await e?.stop();
});

describe('change-triggered backups', () => {
  it('backs up within seconds of a change the poller saw, naming who changed what', async () => {
    const first = await backupNow(e, id);
    expect(first.job.status).toBe('succeeded');
    // Let the poller's first slow collection set its log baseline.
    await new Promise((r) => setTimeout(r, 3500));
    const alice = await routerApi(e, 0, { name: 'alice', password: 'alice-pass' });
    await alice.command('/ip/dns/set', { servers: '1.1.1.1' });
    await alice.close();
    const v = await waitFor(
      'a config_change version',
      async () => (await versions(e, id)).find((x) => x.trigger === 'config_change'),
      30_000,
    );
    expect(v.changed_by).toBe('alice');
    expect(v.changes).toBe(1);
    expect((await versions(e, id)).length).toBe(2);
  });

  it('does not take TOD’s own backup files for a change', async () => {
    const handler = e.ctx.services.assembly.handlers().find((h) => h.name === 'config_backups.on_config_change')!;
    const jobs = async () =>
      (
        await e.ctx.pools.system.query(
          `select count(*)::int as n from config_jobs where device_id = $1 and trigger = 'config_change'`,
          [id],
        )
      ).rows[0].n as number;
    const before = await jobs();
    const event = (changes: JsonValue[]): DomainEvent => ({
      id: '0',
      type: 'device.config_changed',
      tenantId: e.seed.a.id,
      deviceId: id,
      actor: null,
      occurredAt: new Date(),
      payload: { eventId: '0', severity: 'info', message: 'x', details: { users: ['admin'], changes } },
    });
    const ctx = { attempt: 1, signal: new AbortController().signal };
    // What the API fallback's `/file/remove` of TOD's own files looks like in the router's log.
    await handler.handle(event([{ what: 'file', action: 'removed', user: 'admin', time: null }]), ctx);
    expect(await jobs()).toBe(before);
    await handler.handle(event([{ what: 'ip address', action: 'added', user: 'admin', time: null }]), ctx);
    expect(await jobs()).toBe(before + 1);
  });
});
