import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

// The hub host's tools (wireguard-tools' `wg` and `wg-quick`, nftables' `nft`), run without a shell and with a time
// limit. Applying needs CAP_NET_ADMIN: where TOD lacks it, the error is recorded on the hub and shown, and the files
// are still written for a gateway to apply (README: "Running the WireGuard hub").

export type Ran = { code: number; stdout: string; stderr: string };
const TIMEOUT_MS = 20_000;

export function run(cmd: string, args: readonly string[]): Promise<Ran> {
  return new Promise((done) => {
    execFile(cmd, args, { timeout: TIMEOUT_MS, maxBuffer: 32 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === 'number'
          ? (err as { code: number }).code
          : 127
        : 0;
      done({ code, stdout: String(stdout), stderr: String(stderr || (err && code === 127 ? err.message : '')) });
    });
  });
}

/** Whether an executable of that name is on PATH. */
export async function hasTool(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {}
  }
  return false;
}

/**
 * Whether this process may change network interfaces and firewall rules (CAP_NET_ADMIN, bit 12 of the effective
 * capabilities): without it TOD only writes the files, and a hub process with the right applies them.
 */
export async function mayAdministerNetwork(): Promise<boolean> {
  const status = await readFile('/proc/self/status', 'utf8').catch(() => '');
  const hex = /^CapEff:\s*([0-9a-f]+)$/m.exec(status)?.[1];
  return hex !== undefined && (BigInt(`0x${hex}`) & (1n << 12n)) !== 0n;
}

// The tool's first complaint: not wg-quick's echo of a command it runs (`[#] ip link add …`), nor its warnings;
// what follows the first error is its clean-up failing too.
const complaint = (r: Ran) =>
  (r.stderr.trim() || r.stdout.trim())
    .split('\n')
    .find((l) => l.trim() && !l.startsWith('[#]') && !l.startsWith('Warning:'))
    ?.slice(0, 300) ?? '';
const failed = (what: string, r: Ran) => new Error(`${what} failed (exit ${r.code}): ${complaint(r)}`);

/**
 * Brings an organisation's interface to what its file says: `wg syncconf` with the stripped file when it exists
 * (peers change without dropping the others' sessions), `wg-quick up` when it does not.
 */
export async function applyInterface(file: string, iface: string): Promise<void> {
  if ((await run('wg', ['show', iface, 'public-key'])).code !== 0) {
    const up = await run('wg-quick', ['up', file]);
    if (up.code !== 0) throw failed(`wg-quick up ${iface}`, up);
    return;
  }
  const stripped = await run('wg-quick', ['strip', file]);
  if (stripped.code !== 0) throw failed(`wg-quick strip ${iface}`, stripped);
  const tmp = `${file}.stripped`;
  await writeFile(tmp, stripped.stdout, { mode: 0o600 });
  try {
    const sync = await run('wg', ['syncconf', iface, tmp]);
    if (sync.code !== 0) throw failed(`wg syncconf ${iface}`, sync);
  } finally {
    await rm(tmp, { force: true });
  }
}

/** Takes down an interface whose organisation is gone. */
export async function removeInterface(iface: string): Promise<void> {
  if ((await run('wg', ['show', iface, 'public-key'])).code !== 0) return;
  const del = await run('ip', ['link', 'delete', 'dev', iface]);
  if (del.code !== 0) throw failed(`ip link delete ${iface}`, del);
}

export async function applyFirewall(file: string): Promise<void> {
  const r = await run('nft', ['-f', file]);
  if (r.code !== 0) throw failed('nft -f', r);
}

/** `wg show all dump`, or undefined when `wg` cannot say (absent, or no permission). */
export async function showAllDump(): Promise<string | undefined> {
  if (!(await hasTool('wg'))) return undefined;
  const r = await run('wg', ['show', 'all', 'dump']);
  return r.code === 0 ? r.stdout : undefined;
}
