// At most `limit` holders per key at once in this process; the others wait in arrival order, each for at most its
// own timeout. Used for probes (per process and per tenant), a device's extra sessions, and the poller's connects.

type Waiter = { grant: () => void; timer: NodeJS.Timeout | undefined };
type Slot = { active: number; waiting: Waiter[] };

export class GateTimeout extends Error {
  constructor(readonly key: string) {
    super(`waited too long for ${key}`);
  }
}

export class Gate {
  private readonly slots = new Map<string, Slot>();
  constructor(private readonly limit: number) {}

  /** Resolves with a release function once admitted; rejects with GateTimeout after `waitMs` (Infinity: never). */
  enter(key: string, waitMs: number): Promise<() => void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    const s = slot;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const next = s.waiting.shift();
      if (next) next.grant();
      else if (--s.active === 0) this.slots.delete(key);
    };
    if (s.active < this.limit) {
      s.active++;
      return Promise.resolve(release);
    }
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        grant: () => {
          if (w.timer) clearTimeout(w.timer);
          resolve(release);
        },
        timer: undefined,
      };
      if (Number.isFinite(waitMs))
        w.timer = setTimeout(() => {
          s.waiting.splice(s.waiting.indexOf(w), 1);
          reject(new GateTimeout(key));
        }, waitMs);
      s.waiting.push(w);
    });
  }

  /** Holders and waiters of a key (for tests and metrics). */
  usage(key: string): { active: number; waiting: number } {
    const s = this.slots.get(key);
    return { active: s?.active ?? 0, waiting: s?.waiting.length ?? 0 };
  }
}

/** Enters several gates in order, releasing the ones entered when a later one times out. */
export async function enterAll(entries: ReadonlyArray<[Gate, string]>, deadline: number): Promise<() => void> {
  const releases: Array<() => void> = [];
  try {
    for (const [gate, key] of entries) releases.push(await gate.enter(key, Math.max(0, deadline - Date.now())));
  } catch (e) {
    for (const r of releases.reverse()) r();
    throw e;
  }
  return () => {
    for (const r of [...releases].reverse()) r();
  };
}
