// Streaming commands (`listen`, `=follow=`, monitor without `=once=`) as async iterators. Rows are queued as they
// arrive; the consumer's `break` (iterator `return`) sends `/cancel` for the tag. RouterOS answers a cancel with
// `!trap =category=2 =message=interrupted` and `!done`, which ends the iteration cleanly rather than as an error.

import { RouterOSError, TrapError } from './errors.js';
import { type Reply, type ReplyHandler, type Row, replySize, trapInfo } from './reply.js';

export interface StreamControl {
  /** Send `/cancel =tag=<tag>`; errors are ignored (the connection may be going away). */
  cancel(tag: string): void;
  /** Forget the handler for this tag. */
  release(tag: string): void;
  /** The peer kept sending long after the cancel: close the session. */
  overrun(message: string): void;
}

export interface StreamLimits {
  /** Rows queued ahead of the consumer before the stream is cancelled. */
  maxRows: number;
  /** Bytes (of the rows' words) queued ahead of the consumer before the stream is cancelled. */
  maxBytes: number;
  /** Bytes still accepted (and dropped) after the stream was cancelled before the session is closed. */
  maxDroppedBytes: number;
}

const INTERRUPTED = 2;

export class CommandStream implements AsyncIterableIterator<Row>, ReplyHandler {
  readonly tag: string;
  private readonly path: string;
  private readonly control: StreamControl;
  private readonly limits: StreamLimits;
  private readonly queue: Row[] = [];
  private readonly sizes: number[] = []; // bytes of each queued row
  private queuedBytes = 0;
  private droppedBytes = 0; // bytes that arrived after the stream ended
  private readonly traps: Array<{ category: number | undefined; message: string }> = [];
  private waiter: { resolve: (r: IteratorResult<Row>) => void; reject: (e: Error) => void } | null = null;
  private ended = false; // no more rows will be yielded
  private error: Error | null = null; // thrown once the queue is drained
  private cancelled = false;

  constructor(tag: string, path: string, control: StreamControl, limits: StreamLimits) {
    this.tag = tag;
    this.path = path;
    this.control = control;
    this.limits = limits;
  }

  onReply(reply: Reply): void {
    switch (reply.type) {
      case '!re': {
        const bytes = replySize(reply);
        if (this.ended) {
          // Rows after our cancel: drop. A router stops within a few rows; one that sends a whole queue's worth
          // more ignores the cancel, and only closing the session stops it.
          this.droppedBytes += bytes;
          if (this.droppedBytes > this.limits.maxDroppedBytes)
            this.control.overrun(`session closed: ${this.path} kept sending after its stream was cancelled`);
          return;
        }
        if (this.waiter) {
          const w = this.waiter;
          this.waiter = null;
          w.resolve({ value: reply.attrs, done: false });
        } else if (this.queue.length >= this.limits.maxRows || this.queuedBytes + bytes > this.limits.maxBytes) {
          const behind =
            this.queue.length >= this.limits.maxRows ? `${this.limits.maxRows} rows` : `${this.limits.maxBytes} bytes`;
          this.cancel();
          this.finish(new RouterOSError('stream_overflow', `${this.path}: consumer fell ${behind} behind; cancelled`));
        } else {
          this.queue.push(reply.attrs);
          this.sizes.push(bytes);
          this.queuedBytes += bytes;
        }
        return;
      }
      case '!trap': {
        const t = trapInfo(reply);
        if (t.category === INTERRUPTED) this.finish(null);
        else this.traps.push(t);
        return;
      }
      case '!done':
        this.control.release(this.tag);
        if (this.traps.length > 0 && !this.cancelled) this.finish(new TrapError(this.traps, this.path));
        else this.finish(null);
        return;
      default:
        return; // `!empty` and future reply types carry no rows
    }
  }

  onClose(error: Error): void {
    // A consumer that already stopped does not care; otherwise the stream fails with the connection's error.
    this.finish(this.cancelled ? null : error);
  }

  /** Stop the command: sends `/cancel` and ends the iteration after rows already queued. */
  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    if (!this.ended) this.control.cancel(this.tag);
  }

  private finish(error: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.error = error;
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      if (error) w.reject(error);
      else w.resolve({ value: undefined, done: true });
    }
  }

  next(): Promise<IteratorResult<Row>> {
    const row = this.queue.shift();
    if (row !== undefined) {
      this.queuedBytes -= this.sizes.shift() ?? 0;
      return Promise.resolve({ value: row, done: false });
    }
    if (this.ended) {
      const e = this.error;
      this.error = null; // report an error once, then behave as finished
      return e ? Promise.reject(e) : Promise.resolve({ value: undefined, done: true });
    }
    if (this.waiter)
      return Promise.reject(new TypeError('CommandStream.next() called while a previous next() is pending'));
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /** Called by `break`/`return` in for-await: cancel on the router, end locally at once. */
  return(): Promise<IteratorResult<Row>> {
    this.cancel();
    this.queue.length = 0;
    this.sizes.length = 0;
    this.queuedBytes = 0;
    this.finish(null);
    this.error = null;
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
