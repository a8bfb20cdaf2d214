import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../platform/config/config.js';
import { createLogger } from '../platform/log/logger.js';
import { createAdmin } from './create-admin.js';
import { runKeys } from './keys-command.js';
import { runMigrate } from './migrate-command.js';
import { allRoles, type RoleName, startTod } from './start.js';
import { version } from './version.js';

const HELP = `tod ${version} — The Other Dude, fleet manager for MikroTik RouterOS

Usage:
  tod start [--roles api,poller,worker] [--demo]
                                          run TOD (default: all roles in this process);
                                          --demo adds a simulated 25-router fleet to a "Demo" organisation
  tod migrate                             create/upgrade the database schema and roles, then exit
  tod create-admin --email E [--name N] [--tenant ID --role admin|operator|viewer]
                                          create a user; the password is read from stdin
                                          (or TOD_NEW_USER_PASSWORD); without --tenant: a super_admin
  tod keys rotate --tenant ID             a new data key version for an organisation (with OpenBao Transit,
                                          its Transit key is rotated first); old secrets keep decrypting
  tod keys rewrap [--tenant ID]           wrap stored data keys again with the configured key provider's
                                          newest key (local -> Transit after switching); data is not re-encrypted
  tod version                             print the version
  tod --help                              this text

Configuration comes from environment variables and an optional .env file; see README.md.`;

function parseRoles(value: string | undefined): RoleName[] {
  if (!value) return [...allRoles];
  const roles = value.split(',').map((r) => r.trim());
  const bad = roles.filter((r) => !(allRoles as readonly string[]).includes(r));
  if (bad.length || roles.length === 0)
    throw new Error(`--roles: unknown role(s) ${bad.join(', ')}; use ${allRoles.join(',')}`);
  return roles as RoleName[];
}

function configOrExit() {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`tod: ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Returns an exit code for commands that finish; `start` keeps running until a signal. */
export async function runCli(argv: string[]): Promise<number | undefined> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP);
    return 0;
  }
  if (command === 'version' || command === '--version') {
    console.log(version);
    return 0;
  }
  if (command === 'start') {
    const { values } = parseArgs({
      args: rest,
      options: { roles: { type: 'string' }, demo: { type: 'boolean', default: false } },
      strict: true,
    });
    const roles = parseRoles(values.roles);
    if (values.demo && !roles.includes('api'))
      throw new Error('--demo needs the api role (the simulated routers run in that process)');
    // Signals are handled from the first moment: one that arrives while TOD is still starting (reading its
    // configuration, migrating, opening pools, starting runners) stops it as soon as it has started, cleanly,
    // instead of killing it half-way.
    let pending: string | undefined;
    let onSignal = (signal: string) => {
      pending ??= signal;
    };
    process.on('SIGTERM', () => onSignal('SIGTERM'));
    process.on('SIGINT', () => onSignal('SIGINT'));
    const config = configOrExit();
    const log = createLogger({ level: config.LOG_LEVEL });
    const starting = startTod(config, log, roles, { demo: values.demo });
    let stopping = false;
    onSignal = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      const force = setTimeout(() => {
        log.error('shutdown took too long; exiting');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
      force.unref();
      starting
        .then((tod) => tod.stop())
        .then(
          () => process.exit(0),
          (err) => {
            log.error({ err }, 'stopped with an error');
            process.exit(1);
          },
        );
    };
    if (pending) onSignal(pending);
    await starting;
    return undefined;
  }
  if (command === 'migrate') {
    parseArgs({ args: rest, options: {}, strict: true });
    const config = configOrExit();
    await runMigrate(config, createLogger({ level: config.LOG_LEVEL }));
    return 0;
  }
  if (command === 'create-admin') {
    const { values } = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        tenant: { type: 'string' },
        role: { type: 'string' },
      },
      strict: true,
    });
    const config = configOrExit();
    return createAdmin(config, createLogger({ level: config.LOG_LEVEL }), values);
  }
  if (command === 'keys') {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { tenant: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
    if (positionals.length > 1) throw new Error(`tod keys: unexpected ${positionals.slice(1).join(' ')}`);
    const config = configOrExit();
    return runKeys(config, createLogger({ level: config.LOG_LEVEL }), positionals[0], values);
  }
  console.error(`tod: unknown command "${command}"\n\n${HELP}`);
  return 2;
}
