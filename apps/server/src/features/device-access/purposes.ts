// Why a session to a device is opened. The purpose sets its timeouts and how much one reply may bring: a probe
// reads three small tables, a poll reads interfaces and DHCP leases of big routers, a backup reads configuration
// files. A hostile or broken peer is cut off at the purpose's limit (ReplyLimitError → `reply_too_large`, session
// closed) instead of growing TOD's memory.

export const purposes = ['probe', 'scan', 'poll', 'backup', 'change', 'firmware', 'remote'] as const;
export type Purpose = (typeof purposes)[number];

export type PurposeLimits = {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  /**
   * Per command (RouterOS API) reply limits; a command may lower or raise them with CommandOptions.maxBytes/maxRows.
   * maxReplyBytes also bounds an SSH command's output and a file read over SFTP (ssh.ts).
   */
  maxReplyBytes: number;
  maxReplyRows: number;
};

const KiB = 1024;
const MiB = 1024 * KiB;

export type TimeoutSettings = { connectTimeoutMs: number; commandTimeoutMs: number };

/** The limits of each purpose, from the configured connect and command timeouts. */
export function purposeLimits(t: TimeoutSettings): Record<Purpose, PurposeLimits> {
  return {
    // Resource, identity and routerboard: one row each, well under a kilobyte.
    probe: { ...t, maxReplyBytes: 256 * KiB, maxReplyRows: 100 },
    scan: { ...t, maxReplyBytes: 256 * KiB, maxReplyRows: 100 },
    // ~10,000 interfaces (with the poller's proplist) or DHCP leases fit; a flood costs TOD a few MB at most.
    poll: { ...t, maxReplyBytes: 4 * MiB, maxReplyRows: 50_000 },
    // Configuration files and exports; slow to produce on small routers.
    backup: {
      ...t,
      commandTimeoutMs: Math.max(t.commandTimeoutMs * 4, 120_000),
      maxReplyBytes: 64 * MiB,
      maxReplyRows: 50_000,
    },
    // Reads before a change (snapshots of a menu) and the change itself.
    change: {
      ...t,
      commandTimeoutMs: Math.max(t.commandTimeoutMs * 2, 60_000),
      maxReplyBytes: 16 * MiB,
      maxReplyRows: 100_000,
    },
    // A person's terminal or WinBox tunnel: only the connect is bounded here (the session lives as long as its idle
    // timeout and lifetime allow); nothing is read into TOD's memory.
    remote: { ...t, maxReplyBytes: 256 * KiB, maxReplyRows: 100 },
    // Firmware inventory and upgrades: `check-for-updates` asks MikroTik's servers (slow); a download's own
    // command is given the upgrade's remaining deadline. Small replies (packages, status rows).
    firmware: {
      ...t,
      commandTimeoutMs: Math.max(t.commandTimeoutMs * 2, 60_000),
      maxReplyBytes: 4 * MiB,
      maxReplyRows: 10_000,
    },
  };
}
