// Runs the steps of a bulk command that go straight to one device — reads, exports, actions — in the order typed:
// consecutive API steps on one API session, exports on an SSH session (never both open at once: a device has
// few session slots). What each step answered is collected as it goes, so a device that fails half-way still
// shows what it said before.
import { ClosedError, ReplyLimitError, type RouterOSClient, TrapError } from '@tod/routeros';
import type { DeviceAccess, SshSession } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import { StepFailed } from '../rollouts/kinds.js';
import { formatExport, formatReply, formatRows } from './output.js';
import type { ActionStep, ExportStep, ReadStep } from './translate.js';

export type DirectStep = ReadStep | ExportStep | ActionStep;
/** One step's answer under its command line (the line with secrets masked). */
export type Part = { cli: string; output: string };

/** One device's whole output is cut here: results are stored per device and grouped. */
export const MAX_OUTPUT_BYTES = 64 * 1024;
// One API reply: past it the client closes the session (a full routing table would otherwise be read whole).
const MAX_REPLY_BYTES = 1024 * 1024;
const MAX_REPLY_ROWS = 10_000;
const MAX_EXPORT_BYTES = 4 * 1024 * 1024;

/** The output cut at MAX_OUTPUT_BYTES (at a line end), saying so. */
export function bounded(text: string): string {
  if (Buffer.byteLength(text, 'utf8') <= MAX_OUTPUT_BYTES) return text;
  const cut = Buffer.from(text, 'utf8').subarray(0, MAX_OUTPUT_BYTES).toString('utf8');
  const end = cut.lastIndexOf('\n');
  return `${end > 0 ? cut.slice(0, end) : cut}\n… output cut at ${MAX_OUTPUT_BYTES / 1024} KiB`;
}

const menuOf = (command: string) => command.slice(0, command.lastIndexOf('/')) || '/';
const isApi = (s: DirectStep): s is ReadStep | ActionStep => s.kind !== 'export';

export async function runDirect(
  access: DeviceAccess,
  ref: DeviceRef,
  steps: readonly DirectStep[],
  shown: (s: DirectStep) => string,
  parts: Part[],
  signal: AbortSignal,
): Promise<void> {
  for (let i = 0; i < steps.length; ) {
    let j = i;
    const api = isApi(steps[i] as DirectStep);
    while (j < steps.length && isApi(steps[j] as DirectStep) === api) j++;
    const run = steps.slice(i, j);
    // A step's own failure comes out of the session as a value: the session wrappers would turn an error thrown
    // inside them into a failure to reach the device.
    const stopped = api
      ? await access.withApi(ref, 'change', async (client) => {
          for (const s of run) {
            const f = await apiStep(client, s as ReadStep | ActionStep, shown(s), parts, signal);
            if (f) return f;
          }
          return undefined;
        })
      : await access.withSsh(ref, 'backup', async (ssh) => {
          for (const s of run) {
            const r = await exportStep(ssh, s as ExportStep, shown(s));
            if ('code' in r) return r;
            parts.push(r);
          }
          return undefined;
        });
    if (stopped) throw new StepFailed(stopped.code, stopped.message);
    i = j;
  }
}

type Stop = { code: string; message: string };

async function apiStep(
  client: RouterOSClient,
  s: ReadStep | ActionStep,
  cli: string,
  parts: Part[],
  signal: AbortSignal,
): Promise<Stop | undefined> {
  const options = { maxBytes: MAX_REPLY_BYTES, maxRows: MAX_REPLY_ROWS, signal };
  try {
    if (s.kind === 'read') {
      const r = formatReply(s, await client.run(s.command, s.args, { ...s.options, ...options }));
      parts.push({ cli, output: r.error ? `error: ${r.error}` : r.output });
    } else {
      const reply = await client.run(s.command, s.args, options);
      parts.push({ cli, output: formatRows(menuOf(s.command), reply.rows) });
    }
    return undefined;
  } catch (e) {
    // A refusal by the router is its answer to a read (a menu this version lacks): shown, and grouped, as such.
    if (e instanceof TrapError && s.kind === 'read') parts.push({ cli, output: `error: ${e.trapMessage}` });
    else if (e instanceof TrapError) return { code: 'command_failed', message: `${cli}: ${e.trapMessage}` };
    else if (e instanceof ReplyLimitError)
      return {
        code: 'output_too_large',
        message: `${cli}: the answer is larger than ${MAX_REPLY_BYTES / 1024} KiB or ${MAX_REPLY_ROWS} rows; narrow it (print where …, proplist=…)`,
      };
    // Reboot, reset, install: the router obeys by closing the session.
    else if (s.kind === 'action' && s.disconnects && e instanceof ClosedError) parts.push({ cli, output: '' });
    else throw e;
    return undefined;
  }
}

async function exportStep(ssh: SshSession, s: ExportStep, cli: string): Promise<Part | Stop> {
  const r = await ssh.exec(s.cli, { maxBytes: MAX_EXPORT_BYTES });
  if (!r.complete) return { code: 'connection_lost', message: `${cli}: the connection ended before the export did` };
  const f = formatExport(r.stdout.toString('utf8'));
  return { cli, output: f.error ? `error: ${f.error}` : f.output };
}
