import { runCli } from './runtime/cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err) => {
    console.error(`tod: ${(err as Error).message}`);
    process.exit(1);
  },
);
