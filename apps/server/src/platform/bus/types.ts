// The bus between roles. Two kinds of traffic:
//  - poll results (poller → worker ingest): durable work queue; every result is handled once by some worker, and
//    results published while no worker runs wait for one (JetStream) or in memory (single process).
//  - live updates (ingest → every api process, for SSE): fan-out per tenant, fire-and-forget.
// Payloads are JSON-serialisable values; the bus knows nothing about what they mean.

export type LiveMessage = { type: string; tenantId: string; [key: string]: unknown };

export type LiveHandler = (msg: LiveMessage) => void;

export interface Bus {
  readonly kind: 'memory' | 'nats';
  /** Queue one batch of poll results for ingest. Resolves once the bus has it (JetStream: stored). */
  publishResults(batch: unknown[]): Promise<void>;
  /**
   * Handle result batches. A batch is acknowledged when `handler` resolves; if it throws, the batch is delivered
   * again later. Returns a stop function that waits for the batch in hand.
   */
  consumeResults(handler: (batch: unknown[]) => Promise<void>): Promise<() => Promise<void>>;
  /** Fan out a live update to every process subscribed to its tenant. */
  publishLive(msg: LiveMessage): void;
  /** Live updates of one tenant. Returns an unsubscribe function. */
  subscribeTenant(tenantId: string, handler: LiveHandler): () => void;
  close(): Promise<void>;
}
