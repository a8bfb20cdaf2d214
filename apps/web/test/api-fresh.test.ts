import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain ESM script without type declarations
import { generateApi, outputs } from '../../../scripts/gen-api.mjs';

// CI runs this: the committed OpenAPI copy and the client types must match what the server's routes produce now.
describe('generated API client', () => {
  it('is up to date with the server (run `npm run gen:api` if this fails)', async () => {
    const fresh = (await generateApi()) as { json: string; types: string };
    const paths = outputs as { json: string; types: string };
    expect(readFileSync(paths.json, 'utf8') === fresh.json, `${paths.json} is stale: run npm run gen:api`).toBe(true);
    expect(readFileSync(paths.types, 'utf8') === fresh.types, `${paths.types} is stale: run npm run gen:api`).toBe(
      true,
    );
  }, 60_000);
});
