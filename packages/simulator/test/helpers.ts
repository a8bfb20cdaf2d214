// Shared test helpers: fixture location (a missing directory fails the test), and client connections.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ClientOptions, RouterOSClient } from '@tod/routeros';
import type { DeviceInfo } from '../src/index.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export function fixturesDir(): string {
  const dir = process.env.TOD_FIXTURES_DIR ?? path.resolve(repoRoot, '../shared/fixtures');
  if (!existsSync(dir)) throw new Error(`fixture directory missing: ${dir}`);
  return dir;
}

export function exportFixtures(): Array<{ name: string; text: string }> {
  const dir = path.join(fixturesDir(), 'routeros/exports');
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.rsc'))
    .sort();
  if (names.length === 0) throw new Error(`no exports in ${dir}`);
  return names.map((name) => ({ name, text: readFileSync(path.join(dir, name), 'utf8') }));
}

export function restFixture(name: string): Record<string, string>[] {
  const file = path.join(fixturesDir(), 'routeros/rest-7.16', `${name}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  return (Array.isArray(data) ? data : [data]) as Record<string, string>[];
}

export function connect(d: DeviceInfo, extra: Partial<ClientOptions> = {}): Promise<RouterOSClient> {
  return RouterOSClient.connect({
    host: d.address,
    port: d.port,
    tlsPort: d.tlsPort ?? 0,
    tlsMode: 'plain',
    username: d.username,
    password: d.password,
    commandTimeoutMs: 5000,
    connectTimeoutMs: 3000,
    ...extra,
  });
}
