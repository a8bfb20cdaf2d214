// The web app at fleet scale, in headless Chromium against the real bundled `tod` (api role only, so no poller
// touches the fake devices) over 10,000 devices written straight into the database by the inventory bench's seed:
// (a) dashboard time to interactive, cold and warm: navigation start to the status counts rendered with data;
// (b) devices page: navigation start to the first rows of the 10,000-row table;
// (c) frame timing while scrolling that table to the bottom in steps (requestAnimationFrame deltas in the page).
// Last stdout line: one JSON object. Goals: dashboard ≤ 1.5 s, no frame over 50 ms while scrolling.
import pg from 'pg';
import type { Page } from 'playwright-core';
import { seed } from '../../server/bench/inventory.bench.js';
import { startBenchPostgres, startTodProcess } from '../../server/bench/lib.js';
import { migrate } from '../../server/src/platform/db/migrate.js';
import { ensurePartitions, seriesTables } from '../../server/src/platform/timeseries/partitions.js';
import { launch, openSession } from '../test/support/browser.js';

const N = 10_000;
const APP_PW = 'bench-app-password-0123456789';
const SYS_PW = 'bench-system-password-0123456789';
const LONG_FRAME_MS = 50;

/** ms from performance.timeOrigin (navigation start) until `selector` is in the page. */
async function timeTo(page: Page, url: string, selector: string) {
  await page.goto(url, { waitUntil: 'commit' });
  await page.waitForSelector(selector, { timeout: 60_000 });
  return Math.round(await page.evaluate(() => performance.now()));
}

/**
 * Scrolls the device table to the bottom in steps of 90% of its height, one per frame, recording every frame's delta.
 * Plain JS in a string: tsx would wrap functions passed to page.evaluate in a helper the page does not have.
 */
const SCROLL = `(async () => {
  const el = document.querySelector('[data-device-scroller]');
  if (!el) throw new Error('no device table');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  const deltas = [];
  let running = true;
  await frame();
  let last = performance.now();
  const tick = (t) => {
    deltas.push(t - last);
    last = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  const started = performance.now();
  const step = Math.round(el.clientHeight * 0.9);
  let steps = 0;
  while (el.scrollTop + el.clientHeight < el.scrollHeight - 1) {
    el.scrollTop += step;
    steps++;
    await frame();
  }
  // A few frames more so the last rows have rendered and been counted.
  for (let i = 0; i < 5; i++) await frame();
  running = false;
  const total = performance.now() - started;
  const rows = [...el.querySelectorAll('[role="row"][data-device]')].map((r) => Number(r.getAttribute('aria-rowindex')));
  return { deltas: deltas.slice(1), steps, total, lastRow: Math.max(...rows) };
})()`;

/** The same frame deltas for one second with nothing happening: what this machine's headless Chromium does idle. */
const IDLE = `(async () => {
  const deltas = [];
  let last = await new Promise((r) => requestAnimationFrame(r));
  const end = last + 1000;
  while (last < end) {
    const t = await new Promise((r) => requestAnimationFrame(r));
    deltas.push(t - last);
    last = t;
  }
  return deltas;
})()`;

async function scrollFrames(page: Page) {
  return (await page.evaluate(SCROLL)) as { deltas: number[]; steps: number; total: number; lastRow: number };
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const r1 = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const db = await startBenchPostgres();
  let tod: Awaited<ReturnType<typeof startTodProcess>> | undefined;
  const browser = await launch();
  try {
    await migrate({ ownerUrl: db.url, appPassword: APP_PW, systemPassword: SYS_PW });
    const owner = new pg.Pool({ connectionString: db.url });
    await ensurePartitions(owner, seriesTables({ raw: 7, fiveMinute: 30, hourly: 90 }), { behindDays: 31 });
    await owner.end();
    const seeded = performance.now();
    await seed(db.url);
    console.error(`seeded ${N} devices in ${Math.round(performance.now() - seeded)} ms`);
    tod = await startTodProcess({
      DATABASE_URL: db.url,
      DB_APP_PASSWORD: APP_PW,
      DB_SYSTEM_PASSWORD: SYS_PW,
      AUTH_RATE_LIMIT_PER_MINUTE: '1000',
    });
    // The seed's super_admin: bench@tod.test / bench-password-123.
    const s = await openSession(browser, tod.base);
    s.context.setDefaultTimeout(60_000);
    const { page } = s;
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('bench@tod.test');
    await page.getByLabel('Password').fill('bench-password-123');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[data-fleet-counts]');

    // (a) Cold: a new tab in a fresh context with only the session cookies, so nothing is cached in memory or on disk.
    const cookies = await s.context.cookies();
    const cold = await browser.newContext({ baseURL: tod.base, viewport: { width: 1360, height: 860 } });
    await cold.addCookies(cookies);
    const coldPage = await cold.newPage();
    const dashboardCold = await timeTo(coldPage, '/', '[data-fleet-counts]');
    await cold.close();
    // Warm: the same browser again, its HTTP cache holding the app's immutable assets.
    const warm: number[] = [];
    for (let i = 0; i < 5; i++) warm.push(await timeTo(page, '/', '[data-fleet-counts]'));
    warm.sort((a, b) => a - b);
    const dashboardWarm = pct(warm, 0.5);
    console.error(`dashboard: cold ${dashboardCold} ms, warm ${warm.join('/')} ms`);

    // (b) The devices page with all 10,000 loaded: first rows shown and the count says so.
    const devicesFirstRows = await timeTo(page, '/devices', '[role="row"][data-device]');
    const count = await page.locator('[data-device-count]').textContent();
    if (!count?.includes(N.toLocaleString('en-US'))) throw new Error(`device count shows ${count}`);
    console.error(`devices: first rows after ${devicesFirstRows} ms (${count})`);

    // (c) Scrolling to the bottom, after a second of idle frames on the same page as a baseline.
    const idle = ((await page.evaluate(IDLE)) as number[]).sort((a, b) => a - b);
    const scroll = await scrollFrames(page);
    if (scroll.lastRow !== N + 1) throw new Error(`scrolled to row ${scroll.lastRow}, not ${N + 1}`);
    const sorted = [...scroll.deltas].sort((a, b) => a - b);
    const frames = {
      frames: sorted.length,
      steps: scroll.steps,
      long_frames_over_50ms: sorted.filter((d) => d > LONG_FRAME_MS).length,
      p50_ms: r1(pct(sorted, 0.5)),
      p95_ms: r1(pct(sorted, 0.95)),
      max_ms: r1(sorted.at(-1) ?? 0),
      total_scroll_ms: Math.round(scroll.total),
      idle_baseline: { frames: idle.length, p50_ms: r1(pct(idle, 0.5)), max_ms: r1(idle.at(-1) ?? 0) },
    };
    console.error(`scroll: ${JSON.stringify(frames)}`);
    if (s.problems.length) console.error(`page problems: ${s.problems.join('; ')}`);
    console.log(
      JSON.stringify({
        bench: 'fleet-ui',
        devices: N,
        dashboard_interactive_ms: { cold: dashboardCold, warm_p50: dashboardWarm, warm_runs: warm },
        devices_first_rows_ms: devicesFirstRows,
        scroll: frames,
        goals: { dashboard_ms: 1500, long_frames: 0 },
        within_goals: dashboardCold <= 1500 && dashboardWarm <= 1500 && frames.long_frames_over_50ms === 0,
      }),
    );
  } finally {
    await browser.close();
    await tod?.stop();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
