import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';

// Runs this package inside Debian's Chromium (driven by playwright-core; no browser download): the source is
// bundled by esbuild into one script exposing `globalThis.TodSrp`, served from 127.0.0.1, which browsers treat
// as a secure context, so WebCrypto's subtle API is available exactly as on an https origin.

const entry = resolve(import.meta.dirname, '../src/index.ts');

export async function bundleForBrowser(): Promise<string> {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'TodSrp',
    platform: 'browser',
    target: 'es2022',
    conditions: ['source'],
    logLevel: 'warning',
  });
  const file = out.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.text;
}

function serve(script: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/srp.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><script src="/srp.js"></script>');
    } else res.writeHead(404).end();
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok(server));
  });
}

export type BrowserPage = { page: Page; close: () => Promise<void> };

/** A Chromium page on http://127.0.0.1:<port>/ with the bundled package loaded as `TodSrp`. */
export async function openSrpPage(): Promise<BrowserPage> {
  const server = await serve(await bundleForBrowser());
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
    const page = await browser.newPage();
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction('typeof globalThis.TodSrp === "object" && globalThis.isSecureContext');
    const opened = browser;
    return {
      page,
      close: async () => {
        await opened.close();
        await new Promise((ok) => server.close(ok));
      },
    };
  } catch (e) {
    await browser?.close();
    server.close();
    throw e;
  }
}
