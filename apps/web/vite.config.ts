import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import { tanstackRouter } from '@tanstack/router-plugin/vite';
import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';
import { subresourceIntegrity } from './build/sri.ts';

const here = dirname(fileURLToPath(import.meta.url));
// Geist's package exports only its JS helpers; the font files sit beside them in dist/fonts.
const geistFonts = resolve(dirname(fileURLToPath(import.meta.resolve('geist/font/sans'))), 'fonts');
// `npm run dev`: Vite serves the app with hot reload and forwards the API to a running `tod start`.
const api = process.env.TOD_API_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: here,
  plugins: [
    tanstackRouter({
      target: 'react',
      autoCodeSplitting: true,
      routesDirectory: resolve(here, 'src/routes'),
      generatedRouteTree: resolve(here, 'src/routeTree.gen.ts'),
      quoteStyle: 'single',
      semicolons: true,
    }),
    react(),
    tailwindcss(),
    // Every script and stylesheet, lazy chunks included, carries its SHA-384 (build/sri.ts).
    subresourceIntegrity(),
  ],
  resolve: {
    alias: { '@': resolve(here, 'src'), '@geist-fonts': geistFonts },
    // Workspace packages (@tod/srp) are consumed from their TypeScript source, as in tests and the server build.
    conditions: ['source', ...defaultClientConditions],
  },
  server: {
    port: Number(process.env.WEB_DEV_PORT ?? 5173),
    proxy: { '/api': api, '/health': api, '/docs': api },
  },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 600,
    // .vite/manifest.json: the chunk graph, read by bench/bundle.bench.ts to measure what each page loads.
    manifest: true,
  },
});
