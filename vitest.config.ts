import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

// One config, one project per workspace package. `source` makes workspace imports resolve to .ts sources.
// Vitest runs tests in Vite's SSR environment, which takes its conditions from ssr.resolve.
const conditions = ['source', ...defaultServerConditions];
const shared = { resolve: { conditions }, ssr: { resolve: { conditions } } };

export default defineConfig({
  ...shared,
  test: {
    projects: [
      // 30 s like the other projects: with the whole suite in parallel, key generation, TLS handshakes, spawned CLIs
      // and property tests take several times their idle duration. TLS certificates are made once per run.
      {
        ...shared,
        test: {
          name: 'routeros',
          root: 'packages/routeros',
          include: ['test/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
        },
      },
      { ...shared, test: { name: 'rsc', root: 'packages/rsc', include: ['test/**/*.test.ts'], testTimeout: 30_000 } },
      { ...shared, test: { name: 'srp', root: 'packages/srp', include: ['test/**/*.test.ts'] } },
      {
        ...shared,
        test: { name: 'simulator', root: 'packages/simulator', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
      },
      {
        ...shared,
        test: {
          name: 'server',
          root: 'apps/server',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          globalSetup: ['test/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        ...shared,
        // The global setup runs in vitest's own environment, which does not inherit `ssr`; it enrols over @tod/srp.
        environments: { __vitest__: { resolve: { conditions } } },
        test: {
          // Unit tests of the web app's client code; page tests beside the pages (src/**/*.test.ts) and end-to-end
          // journeys (test/e2e), both in Chromium against a real `tod start`.
          name: 'web',
          root: 'apps/web',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
