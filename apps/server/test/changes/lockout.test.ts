import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { addSimDevice, backupNow, routerApi } from '../config-backups/helpers.js';
import { type ChangesEnv, startChangesEnv, submit, waitOperation } from './helpers.js';

// Changes that cut TOD off: the router undoes them by itself (safe mode when TOD's session dies or times out, the
// scheduler watchdog loading the pre-change backup), the device answers again, and the revert is proven.

vi.setConfig({ testTimeout: 180_000 });
let e: ChangesEnv;
const ids: string[] = [];

beforeAll(async () => {
  e = await startChangesEnv(
    [
      { version: '7.18.2', identity: 'lock-v7', safeModeTimeoutMs: 1500 },
      { version: '6.49.10', identity: 'lock-v6' },
    ],
    { CHANGE_APPLY_SECONDS: '5', CHANGE_VERIFY_SECONDS: '5', CHANGE_WATCHDOG_GRACE_SECONDS: '5' },
  );
  ids.push(await addSimDevice(e, 0), await addSimDevice(e, 1));
}, 60_000);
afterAll(() => e?.stop());

const disableApi = { path: '/ip/service', action: 'set', where: { name: 'api' }, properties: { disabled: 'yes' } };
const dropTod = {
  path: '/ip/firewall/filter',
  action: 'add',
  properties: {
    chain: 'input',
    action: 'drop',
    protocol: 'tcp',
    'dst-port': '8728,8729',
    'src-address': '127.0.0.1',
    comment: 'locks TOD out',
  },
};

describe.each([
  ['v7 (safe mode)', 0, 'safe_mode'],
  ['v6 (watchdog)', 1, 'watchdog'],
])('%s', (_n, index, strategy) => {
  it.each([
    ['the API service disabled', disableApi],
    ['an input drop rule for TOD', dropTod],
  ])('%s: reverted by the device, answering again, revert verified', async (_what, change) => {
    const before = (await backupNow(e, ids[index]!)).version!.id;
    const id = await submit(e, ids[index]!, { changes: [change] });
    const op = await waitOperation(e, ids[index]!, id, undefined, 150_000);
    expect(op.status, JSON.stringify(op.steps)).toBe('reverted');
    expect(op.strategy).toBe(strategy);
    expect(op.reverted_verified).toBe(true);
    expect(['connection_lost', 'verify_failed', 'session_lost'], JSON.stringify(op.steps)).toContain(op.revert_reason);
    // The device answers TOD's way in again, with the configuration it had.
    const c = await routerApi(e, index);
    try {
      expect((await c.command('/system/identity/print'))[0]?.name).toBeDefined();
    } finally {
      await c.close();
    }
    expect((await backupNow(e, ids[index]!)).version!.id).toBe(before);
  });
});
