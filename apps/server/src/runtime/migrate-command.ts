import type { Logger } from 'pino';
import type { Config } from '../platform/config/config.js';
import { migrate } from '../platform/db/migrate.js';
import { openDatabase } from './start.js';

/** `tod migrate`: roles and schema, then exit. For an external database the owner needs CREATEROLE and BYPASSRLS rights. */
export async function runMigrate(config: Config, log: Logger) {
  const db = await openDatabase(config, log);
  try {
    const { applied } = await migrate({
      ownerUrl: db.ownerUrl,
      appPassword: config.dbAppPassword,
      systemPassword: config.dbSystemPassword,
      log,
    });
    console.log(
      applied.length ? `applied ${applied.length} migration(s): ${applied.join(', ')}` : 'schema is up to date',
    );
  } finally {
    await db.embedded?.stop();
  }
}
