// Domain events: facts about committed changes ("device.status_changed", "config.changed"), recorded in the
// transaction that made the change and handled afterwards by the worker role, exactly once per handler.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Who caused an event, as the audit trail names it. */
export type EventActor = { type: 'user' | 'api_key' | 'system'; id: string | null; label: string };

/** What a caller records. `occurredAt` defaults to the transaction's time. */
export type NewEvent = {
  type: string;
  tenantId: string | null;
  payload: JsonValue;
  deviceId?: string | null;
  actor?: EventActor | null;
  occurredAt?: Date | string;
};

export type DomainEvent = {
  id: string;
  type: string;
  tenantId: string | null;
  deviceId: string | null;
  actor: EventActor | null;
  payload: JsonValue;
  occurredAt: Date;
};

export type HandlerContext = {
  /** 1 for the first run. */
  attempt: number;
  /** Aborted when the handler times out or its dispatcher stops; long handlers should give up then. */
  signal: AbortSignal;
};

export type EventHandler = {
  /** Stable: deliveries are stored under it. Lowercase, e.g. `backups.on_config_change`. */
  name: string;
  /** Event types it wants; `'*'` for all. */
  on: readonly string[];
  /** Throwing (or rejecting) means "try again later", up to `maxAttempts`. */
  handle(event: DomainEvent, ctx: HandlerContext): Promise<void>;
  /** Runs before the delivery is dead-lettered. Default: the dispatcher's `maxAttempts` (8). */
  maxAttempts?: number;
  /** A run longer than this counts as failed. Default: the dispatcher's `handlerTimeoutMs` (60 s). */
  timeoutMs?: number;
};
