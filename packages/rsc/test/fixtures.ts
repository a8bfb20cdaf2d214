// Locates the shared RouterOS fixtures (never skipped: a missing directory fails the tests).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const FIXTURES_DIR = process.env.TOD_FIXTURES_DIR ?? resolve(here, '../../../../shared/fixtures');
export const EXPORTS_DIR = join(FIXTURES_DIR, 'routeros/exports');

export function exportFiles(): string[] {
  if (!existsSync(EXPORTS_DIR)) throw new Error(`fixture directory missing: ${EXPORTS_DIR} (set TOD_FIXTURES_DIR)`);
  const files = readdirSync(EXPORTS_DIR)
    .filter((f) => f.endsWith('.rsc'))
    .sort();
  if (files.length === 0) throw new Error(`no .rsc fixtures in ${EXPORTS_DIR}`);
  return files;
}

/** Fixture text; latin1 keeps every byte as one char, like RouterOS values. */
export function readExport(name: string): string {
  return readFileSync(join(EXPORTS_DIR, name), 'latin1');
}
