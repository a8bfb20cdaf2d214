// The revert watchdog TOD arms on routers without scriptable safe mode: a scheduler item with `interval=30s` and
// no start-time fires 30 s after it was ADDED (relative, whatever the clock says), and its on-event
// `/system backup load name=X password=Y` (no confirmation prompt in a script) restores the saved configuration
// and reboots; the item, added after the backup was saved, is gone afterwards. Fake timers: 30 s in no time.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Device, runScript } from '../src/index.js';

afterEach(() => {
  vi.useRealTimers();
});

const run = (d: Device, text: string) => {
  const r = runScript(d, text, 'admin');
  if (r.error) throw new Error(r.error);
};

describe.each(['7.16', '6.49.10'])('scheduler watchdog (%s)', (version) => {
  it('fires 30 s after it was added, loads the backup and reboots into it; the item is gone', () => {
    // An odd wall-clock time: a watchdog tied to the clock would fire at a round minute instead.
    vi.useFakeTimers({
      now: Date.UTC(2025, 0, 1, 12, 0, 7, 300),
      toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'clearImmediate', 'Date'],
    });
    const d = new Device({ version, rebootDelayMs: 1000 });
    vi.advanceTimersByTime(12_345); // added a while after boot
    run(d, '/system backup save name=pre password=bpw');
    run(d, '/system identity set name=risky');
    run(d, '/ip address add address=192.0.2.1/24 interface=ether2');
    run(
      d,
      '/system scheduler add name=tod-watchdog interval=30s on-event="/system backup load name=pre.backup password=bpw"',
    );
    const added = () => (d.store.menu('/ip/address', false)?.items ?? []).map((i) => i.props.get('address'));
    expect(added()).toContain('192.0.2.1/24');
    vi.advanceTimersByTime(29_999);
    expect(d.identity).toBe('risky');
    vi.advanceTimersByTime(1);
    expect(d.identity).toBe('MikroTik');
    vi.advanceTimersByTime(1);
    expect(d.accepting).toBe(false); // rebooting
    vi.advanceTimersByTime(1000);
    expect(d.accepting).toBe(true);
    expect(added()).not.toContain('192.0.2.1/24');
    expect(d.store.menu('/system/scheduler', false)?.items ?? []).toEqual([]);
    expect(d.logs.some((l) => l.message.startsWith('configuration restored from backup'))).toBe(true);
    d.stop();
  });
});
