import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { descriptorsNeeded, openFileLimit } from '../../src/platform/net/fd-limit.js';
import { contextEnv, serverRoot, spawnTod } from '../helpers/cli.js';
import { createTestContext, type TestContext } from '../helpers/context.js';
import { createTenant } from './poller-fixture.js';

// A poller whose open-file limit is below what its devices need says so at start (a real `tod start --roles poller`
// under `prlimit`), naming the limit and the need; with the limit this machine has, it says nothing.

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  const tenant = await createTenant(ctx);
  await ctx.pools.owner.query(
    `insert into devices (tenant_id, name, host, port, username, password_enc)
     select $1, 'fd-' || i, '127.0.' || (i / 200) || '.' || (1 + i % 200), 1, 'admin', '\\x00' from generate_series(1, 400) i`,
    [tenant],
  );
});
afterAll(() => ctx?.close());

/** Runs a poller for a few seconds under an open-file limit; answers what it logged. */
function pollerUnder(limit: number): Promise<string> {
  return new Promise((done) => {
    const child = spawnTod(
      ['start', '--roles', 'poller'],
      { ...contextEnv(ctx), METRICS_PORT: '0', LOG_LEVEL: 'info' },
      serverRoot,
      ['prlimit', `--nofile=${limit}:${limit}`],
    );
    let out = '';
    const take = (d: Buffer) => {
      out += d;
      // The check runs before the poller announces itself: by then it has spoken or never will at start.
      if (out.includes('open-file limit') || out.includes('poller started')) child.kill('SIGTERM');
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    const timer = setTimeout(() => child.kill('SIGTERM'), 20_000);
    child.on('exit', () => {
      clearTimeout(timer);
      done(out);
    });
  });
}

describe('open-file limit', () => {
  it('reads this process’s limit', () => {
    expect(openFileLimit()).toBeGreaterThan(0);
    expect(descriptorsNeeded(10_000)).toBeGreaterThan(10_000);
  });

  it('a poller warns at start when its share of the devices needs more files than it may open', async () => {
    const out = await pollerUnder(512);
    const line = out.split('\n').find((l) => l.includes('open-file limit'));
    expect(line, out.slice(-2000)).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({ level: 'warn', openFileLimit: 512, devices: 400, needed: 656 });
  }, 40_000);

  it('says nothing when the limit is enough', async () => {
    const out = await pollerUnder(4096);
    expect(out).not.toContain('open-file limit');
  }, 40_000);
});
