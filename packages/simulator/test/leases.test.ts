// `/ip/dhcp-server/lease make-static`: a dynamic lease becomes static (address, MAC, server kept), shows in the
// export, can then be changed; static leases are left alone; a read-only user may not.
import { TrapError } from '@tod/routeros';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';

let fleet: Fleet;
beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    base: {
      version: '7.16',
      users: [
        { name: 'admin', password: 'a' },
        { name: 'viewer', password: 'v', group: 'read' },
      ],
      generate: { dhcpLeases: 2 },
    },
  });
});
afterAll(() => fleet.stop());

describe('make-static', () => {
  it('turns a dynamic lease static with its address, MAC and server', async () => {
    const c = await connect(fleet.devices[0]!);
    try {
      const [lease] = await c.command('/ip/dhcp-server/lease/print');
      expect(lease?.dynamic).toBe('true');
      await expect(c.command('/ip/dhcp-server/lease/set', { numbers: lease!['.id']!, comment: 'x' })).rejects.toThrow(
        /dynamic/,
      );
      await c.command('/ip/dhcp-server/lease/make-static', { numbers: lease!['.id']! });
      const after = (await c.command('/ip/dhcp-server/lease/print')).find((r) => r['.id'] === lease!['.id']);
      expect(after?.dynamic).toBe('false');
      expect(after?.address).toBe(lease!.address);
      expect(after?.['mac-address']).toBe(lease!['mac-address']);
      expect(after?.server).toBe(lease!.server);
      await c.command('/ip/dhcp-server/lease/set', { numbers: lease!['.id']!, comment: 'printer' });
      await c.command('/export', { file: 'leases' });
      expect(fleet.device(0).fileContents('leases.rsc')).toContain(`mac-address=${lease!['mac-address']}`);
      // Again on the now static lease: nothing changes, no error.
      await c.command('/ip/dhcp-server/lease/make-static', { numbers: lease!['.id']! });
    } finally {
      await c.close();
    }
  });

  it('needs the write policy', async () => {
    const v = await connect({ ...fleet.devices[0]!, username: 'viewer', password: 'v' });
    try {
      const [lease] = await v.command('/ip/dhcp-server/lease/print');
      await expect(v.command('/ip/dhcp-server/lease/make-static', { numbers: lease!['.id']! })).rejects.toBeInstanceOf(
        TrapError,
      );
    } finally {
      await v.close();
    }
  });
});
