/**
 * Circuit breaker per device: after `maxFailures` consecutive failed polls the device is skipped for a backoff that
 * starts at `baseMs` and doubles with each further failure, up to `maxMs`. One success closes it.
 */
export class CircuitBreaker {
  failures = 0;
  openUntil = 0;
  constructor(private readonly o: { maxFailures: number; baseMs: number; maxMs: number }) {}

  /** True while polls should be skipped. */
  isOpen(now: number): boolean {
    return now < this.openUntil;
  }

  success(): void {
    this.failures = 0;
    this.openUntil = 0;
  }

  failure(now: number): void {
    this.failures++;
    const over = this.failures - this.o.maxFailures;
    if (over < 0) return;
    const backoff = Math.min(this.o.maxMs, this.o.baseMs * 2 ** Math.min(over, 30));
    this.openUntil = now + backoff;
  }

  reset(): void {
    this.success();
  }
}
