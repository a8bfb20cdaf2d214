// `npx tod`, `npx tod-sim` and `npx tod-rsc` right after `npm install`: the committed bins are linked in
// node_modules/.bin and run the sources through tsx when dist/ is not built (scripts/lib/launch.mjs);
// TOD_RUN_SOURCES=1 forces that path where a build exists.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bins = resolve(import.meta.dirname, '../../../../node_modules/.bin');
const cases = [
  { bin: 'tod', help: 'tod start [--roles api,poller,worker] [--demo]' },
  { bin: 'tod-sim', help: 'tod-sim: virtual RouterOS devices on real sockets' },
  { bin: 'tod-rsc', help: 'tod-rsc diff <a.rsc> <b.rsc>' },
].flatMap((c) => [
  { ...c, fromSources: '1' },
  { ...c, fromSources: '' },
]);

describe('bins', () => {
  // From sources, tsx compiles the whole program on a cold cache: seconds on a busy machine.
  it.each(cases)('$bin --help (TOD_RUN_SOURCES=$fromSources)', { timeout: 90_000 }, ({ bin, help, fromSources }) => {
    const r = spawnSync(resolve(bins, bin), ['--help'], {
      encoding: 'utf8',
      env: { ...process.env, TOD_RUN_SOURCES: fromSources },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(help);
  });
});
