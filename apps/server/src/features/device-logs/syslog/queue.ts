import type pg from 'pg';
import type { Logger } from 'pino';
import { withSystem } from '../../../platform/db/tx.js';
import { deviceLogsRepo, type LogInsertRow } from '../device-logs.repo.js';

// Received lines wait here to be stored in batches (one statement each). Bounded: when the database falls behind,
// new lines are refused (the caller counts them) instead of growing memory. A batch whose insert failed stays at
// the head and is tried again at the next flush.

export class LogQueue {
  private rows: LogInsertRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly o: {
      system: pg.Pool;
      log: Logger;
      maxQueue: number;
      batchSize: number;
      flushMs: number;
      onStored: (stored: number, batch: number) => void;
    },
  ) {}

  get depth(): number {
    return this.rows.length;
  }

  /** False when the queue is full (the line is dropped). */
  push(row: LogInsertRow): boolean {
    if (this.rows.length >= this.o.maxQueue) return false;
    this.rows.push(row);
    return true;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.o.flushMs);
    this.timer.unref();
  }

  /** Stores what is queued (in batches); resolves when done or when a batch failed. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      while (this.rows.length > 0) {
        const batch = this.rows.slice(0, this.o.batchSize);
        try {
          const stored = await withSystem(this.o.system, (db) => deviceLogsRepo.insertRows(db, batch));
          this.rows.splice(0, batch.length);
          this.o.onStored(stored, batch.length);
        } catch (err) {
          this.o.log.warn({ err: (err as Error).message, queued: this.rows.length }, 'storing syslog lines failed');
          return;
        }
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }
}
