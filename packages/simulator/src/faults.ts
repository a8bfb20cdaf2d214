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
}
