// Regenerates the web app's API description and types from the server's real route schemas:
//   apps/web/src/api/openapi.json  — the server's OpenAPI document
//   apps/web/src/api/schema.ts     — TypeScript `paths` for the typed client (openapi-fetch)
// `npm run gen:api` writes them; apps/web/test/api-fresh.test.ts fails when the committed copies are stale.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverOpenApi } from './lib/openapi-app.mjs';
import { openApiToTs } from './lib/openapi-to-ts.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const outputs = {
  json: resolve(root, 'apps/web/src/api/openapi.json'),
  types: resolve(root, 'apps/web/src/api/schema.ts'),
};

/** Formats with the repo's Biome settings, so the files pass `npm run lint` exactly as generated. */
function biomeFormat(text, path) {
  const bin = resolve(root, 'node_modules/.bin/biome');
  // The OpenAPI document is past spawnSync's default 1 MB output buffer.
  const r = spawnSync(bin, ['format', `--stdin-file-path=${path}`], {
    input: text,
    encoding: 'utf8',
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`biome format failed for ${path}: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

/** The two files' contents as they should be committed. */
export async function generateApi() {
  const doc = await serverOpenApi();
  return {
    json: biomeFormat(`${JSON.stringify(doc, null, 2)}\n`, outputs.json),
    types: biomeFormat(openApiToTs(doc), outputs.types),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await generateApi();
  writeFileSync(outputs.json, files.json);
  writeFileSync(outputs.types, files.types);
  console.error(`gen:api: wrote ${outputs.json} and ${outputs.types}`);
}
