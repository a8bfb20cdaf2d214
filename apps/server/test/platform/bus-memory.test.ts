import { describe, expect, it } from 'vitest';
import { createMemoryBus } from '../../src/platform/bus/memory.js';
import type { LiveMessage } from '../../src/platform/bus/types.js';
import { log } from '../poller/poller-fixture.js';

describe('in-process bus', () => {
  it('delivers live updates only to the tenant subscribed, survives a throwing handler, unsubscribes', () => {
    const bus = createMemoryBus({ log });
    const a: LiveMessage[] = [];
    const b: LiveMessage[] = [];
    const offA = bus.subscribeTenant('A', (m) => a.push(m));
    bus.subscribeTenant('A', () => {
      throw new Error('a broken subscriber');
    });
    bus.subscribeTenant('B', (m) => b.push(m));
    bus.publishLive({ type: 'device.state', tenantId: 'A', n: 1 });
    bus.publishLive({ type: 'device.state', tenantId: 'B', n: 2 });
    offA();
    bus.publishLive({ type: 'device.state', tenantId: 'A', n: 3 });
    expect(a.map((m) => m.n)).toEqual([1]);
    expect(b.map((m) => m.n)).toEqual([2]);
  });

  it('queues results until a consumer exists, retries a failed batch in order, and drains on stop', async () => {
    const bus = createMemoryBus({ log });
    await bus.publishResults([1]);
    await bus.publishResults([2]);
    const got: unknown[] = [];
    let failOnce = true;
    const stop = await bus.consumeResults(async (batch) => {
      if (failOnce && batch[0] === 2) {
        failOnce = false;
        throw new Error('database down');
      }
      got.push(...batch);
    });
    await bus.publishResults([3]);
    await new Promise((r) => setTimeout(r, 1300)); // the retry comes after 1 s
    await bus.publishResults([4]);
    await stop();
    expect(got).toEqual([1, 2, 3, 4]);
    await bus.close();
  });
});
