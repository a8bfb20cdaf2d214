/** A loop's pause that a notification can cut short. A wake while the loop is busy makes its next pause instant. */
export class Waker {
  private woken = false;
  private cut: (() => void) | undefined;

  wake(): void {
    this.woken = true;
    this.cut?.();
  }

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.cut = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.cut = done;
    });
  }
}
