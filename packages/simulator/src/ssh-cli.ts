// The RouterOS command line as `ssh router '<command>'` runs it: the console's commands (shell-run.ts), one per
// line, stopping at the first error as RouterOS does — the commands backup tools send (`/export` and its flags,
// menu-scoped exports, `/system backup save|load`, `/file remove|print`, `/ip ssh regenerate-host-key`: see
// shell-special.ts) and whatever else a person types (`/ip address print`, `/system identity set name=x`). Mistakes
// are RouterOS's words: `bad command name X (line L column C)` for an unknown word, `expected end of command (line L
// column C)` for an argument the command does not take. Output lines end in \r\n, errors are printed to the channel
// like any output (RouterOS has no separate stderr). A confirmation (`/system backup load`, `/system reboot`) reads
// its answer from stdin.
import type { Caller } from './commands/context.js';
import type { Device } from './device.js';
import { Console } from './shell-run.js';
import type { CliIo, CliOutcome } from './shell-special.js';

export type { CliIo, CliOutcome } from './shell-special.js';

/** Runs the command text (one command per line), stopping at the first error, as RouterOS does. */
export async function runCli(device: Device, caller: Caller, text: string, io: CliIo): Promise<CliOutcome> {
  const console = new Console(device, caller);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const r = await console.run(lines[i] as string, i + 1, io);
    if (r.reboot) return { reboot: true };
    if (r.failed || r.quit) return {};
  }
  return {};
}
