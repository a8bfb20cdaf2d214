import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/** `sha384-…` of a file's bytes, as an integrity attribute or an import map's integrity entry wants it. */
export function sriHash(bytes: Buffer | string): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

const PRELOAD_HELPER = /^\0vite\/preload-helper\.js$/;
// Where Vite's preload helper (vite/dist/node/chunks/node.js, `preload`) configures each <link> it injects: the
// modulepreload links for a lazy chunk's static imports and the stylesheet links for its CSS.
const LINK_SETUP = /\blink\.crossOrigin\s*=\s*(""|``|'');/;
// Import map integrity covers every module fetch (import(), static imports, modulepreload), but not stylesheets: the
// helper looks each href up in the page's import map, which the build writes below, so one list serves both.
const INTEGRITY_LOOKUP = `const __todIntegrity = (() => {
  let byHref;
  return (href) => {
    if (!byHref) {
      byHref = {};
      for (const map of document.querySelectorAll('script[type="importmap"]')) {
        try {
          const integrity = JSON.parse(map.textContent || "{}").integrity || {};
          for (const url in integrity) byHref[new URL(url, document.baseURI).href] = integrity[url];
        } catch {}
      }
    }
    return byHref[href] || "";
  };
})();
`;

const TAG = /<(script|link)\b[^>]*>/g;
const attr = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];
/** The file a <script> or a stylesheet/modulepreload <link> loads; undefined for other tags (icons, inline). */
function loadedUrl(tag: string, name: string): string | undefined {
  if (name === 'script') return attr(tag, 'src');
  const rel = attr(tag, 'rel');
  return rel === 'stylesheet' || rel === 'modulepreload' ? attr(tag, 'href') : undefined;
}

/**
 * Subresource Integrity for the built app. After the bundle is written, every script and stylesheet index.html loads
 * gets an `integrity` attribute (SHA-384 of the file on disk), and an import map lists the SHA-384 of every emitted
 * JS and CSS file, which Chromium (127+) applies to every module it fetches: dynamic import() of lazy route chunks,
 * their static imports and modulepreload links. The import map is inline (browsers load no other kind); the server
 * allows it in CSP by its sha256 (apps/server/src/platform/http/static.ts). Stylesheets of lazy chunks are linked at
 * run time by Vite's preload helper, which is patched to set their integrity from the import map.
 */
export function subresourceIntegrity(): Plugin {
  let base = '/';
  return {
    name: 'tod:subresource-integrity',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      base = config.base;
    },
    transform: {
      filter: { id: PRELOAD_HELPER },
      handler(code) {
        // Fail the build rather than ship lazy stylesheets unchecked when a Vite update rewrites the helper.
        if (!LINK_SETUP.test(code) || !code.includes('link.href = dep.href'))
          this.error("Vite's preload helper changed: cannot add integrity to the links it injects (build/sri.ts)");
        return {
          code: INTEGRITY_LOOKUP + code.replace(LINK_SETUP, '$&\nlink.integrity = __todIntegrity(dep.href);'),
          map: null,
        };
      },
    },
    writeBundle(options, bundle) {
      const outDir = options.dir;
      if (!outDir) this.error('build/sri.ts needs build.outDir');
      const hashOf = (file: string) => sriHash(readFileSync(join(outDir, file)));
      const integrity: Record<string, string> = {};
      for (const file of Object.keys(bundle).sort()) {
        if (/\.(js|css)$/.test(file)) integrity[`${base}${file}`] = hashOf(file);
      }
      const htmlPath = join(outDir, 'index.html');
      const html = readFileSync(htmlPath, 'utf8').replace(TAG, (tag, name: string) => {
        const url = loadedUrl(tag, name);
        if (url === undefined) return tag;
        if (!url.startsWith(base))
          this.error(`index.html loads ${url} from elsewhere: SRI covers only TOD's own files`);
        // theme-init.js comes from public/, outside the bundle: hashed here all the same.
        const sri = integrity[url] ?? hashOf(url.slice(base.length));
        return `${tag.slice(0, -1).replace(/\s+integrity="[^"]*"/, '')} integrity="${sri}">`;
      });
      // Before the first script (and the comment about it), so it is in force before any module is fetched.
      const first = html.search(/([ \t]*<!--(?:(?!-->)[\s\S])*-->\s*)?[ \t]*<script\b/);
      if (first < 0) this.error('index.html has no script');
      const indent = html.slice(first).match(/^[ \t]*/)?.[0] ?? '';
      const importMap = [
        '<!-- The SHA-384 of every module and stylesheet (build/sri.ts): the browser refuses a file that differs. -->',
        `<script type="importmap">${JSON.stringify({ imports: {}, integrity })}</script>`,
      ];
      writeFileSync(
        htmlPath,
        `${html.slice(0, first)}${importMap.map((l) => `${indent}${l}\n`).join('')}${html.slice(first)}`,
      );
    },
  };
}
