// Misbehaviour on purpose, per device, changeable at run time.

export interface Faults {
  /** Delay before every reply sentence batch. */
  latencyMs?: number;
  /** Accept commands but never answer them (after login unless `timeoutLogin`). */
  timeout?: boolean;
  /** Never answer the login either. */
  timeoutLogin?: boolean;
  /** Cut the connection in the middle of the next reply sentence after this many commands (0 = the first). */
  resetAfterCommands?: number;
  /** Reject every login, even with valid credentials. */
  wrongPassword?: boolean;
  /** Refuse connections (new ones; existing sessions are dropped). */
  refuse?: boolean;
  /** Up for `upMs`, then down (refusing, sessions dropped) for `downMs`, repeating. */
  flap?: { upMs: number; downMs: number };
  /** Extra delay for `/export`. */
  slowExportMs?: number;
  /**
   * Hostile: after login, answer every command (`/cancel` too) with an endless stream of ~1 KB `!re` rows and
   * never `!done`. Written with socket backpressure, so the simulator holds only what the socket buffers. Clearing
   * the fault ends running floods with `!done`.
   */
  flood?: boolean;
  /** With `flood`: stop each command's flood after this many bytes and send `!done` (a huge but finite reply). */
  floodBytes?: number;
  /**
   * Broken: after login, answer the next command with `!re` and the length prefix of a word of this many bytes
   * (`true`: 16 MiB), then stall: nothing more is ever written on that session (whatever
   * followed would be read as the word's bytes). Clearing the fault helps new sessions only.
   */
  hugeWord?: boolean | number;
  /** SSH: refuse new SSH connections and drop SSH sessions (the API stays up). `refuse`, flaps and reboots stop SSH too. */
  sshRefuse?: boolean;
  /** SSH: accept the TCP connection but never send the SSH banner (a hung SSH service). */
  sshTimeout?: boolean;
  /** SSH: delay before every chunk of exec output and every SFTP reply (a slow router or link). */
  sshLatencyMs?: number;
  /**
   * SSH: cut the TCP connection once this many bytes of exec output or SFTP file data have been sent on it, with no
   * channel close or exit status (a transfer dropped mid-way).
   */
  sshDropAfterBytes?: number;
  /**
   * The router cannot reach MikroTik's update server: `check-for-updates` and `download`/`install` end with the
   * status `ERROR: could not resolve dns name` (or this text).
   */
  noInternet?: boolean | string;
  /** `download`/`install` stop part-way with the status `ERROR: connection timed out` (or this text); nothing is kept. */
  downloadFails?: boolean | string;
  /**
   * A reboot that installs packages never finishes: the device stays down (connections refused) until `reboot()`
   * is called again (a power cycle), which installs them if the fault is gone.
   */
  neverComesBack?: boolean;
}
