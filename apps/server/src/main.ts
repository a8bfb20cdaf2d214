import { runCli } from './runtime/cli.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err) => {
    // Only the message (one sentence for operators); something thrown that is not an Error still says what it was.
    console.error(`tod: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
