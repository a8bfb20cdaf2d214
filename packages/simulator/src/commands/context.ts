// What a command handler gets: the device, who runs it, its words, and where its replies go.
import type { Device } from '../device.js';
import type { Row } from '../query.js';
import type { Item } from '../store.js';

/** Reply sink of one command. `done` ends it; a trap is followed by `done` (as RouterOS does). */
export interface Out {
  re(row: Row): void;
  trap(message: string, category?: number): void;
  empty(): void;
  done(attrs?: Row): void;
  readonly ended: boolean;
}

export interface Caller {
  /** Session id, or 0 for scripts run by the device itself. */
  id: number;
  userName: string;
  user: Item | undefined;
  policies: Set<string>;
  remote: string;
  /** `true` for `/import`, `/system/script/run`, scheduler: scripts see the same menus, no streaming. */
  script: boolean;
}

export interface CommandContext {
  device: Device;
  caller: Caller;
  path: string;
  verb: string;
  /** `=name=value` attributes, as sent (API form: `true`/`false`). */
  args: Map<string, string>;
  /** `?` query words. */
  query: string[];
  proplist: string[] | undefined;
  out: Out;
  /** Streaming commands register cleanup here; the session calls it on `/cancel` or disconnect. */
  onCancel(fn: () => void): void;
}

/** A failure that becomes `!trap =message=...` then `!done`. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
  readonly category: number | undefined;
  constructor(message: string, category?: number) {
    super(message);
    this.category = category;
  }
}

export type Handler = (ctx: CommandContext) => void;

export function requirePolicy(ctx: CommandContext, policy: string): void {
  if (!ctx.caller.policies.has(policy)) throw new CommandError('not enough permissions (9)');
}

export function argFlag(ctx: CommandContext, name: string): boolean {
  const v = ctx.args.get(name);
  return v !== undefined && v !== 'false' && v !== 'no';
}
