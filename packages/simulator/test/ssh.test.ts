// The simulator's SSH service seen by ssh2's Client: logins against /user, host keys, and the RouterOS CLI's
// `/export` over exec (v6 and v7 secrets, RouterOS's syntax errors).
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fleet, startFleet } from '../src/index.js';
import { connect } from './helpers.js';
import { exec, SECRETS_CONFIG, sshConnect, withSsh } from './ssh-helpers.js';

let fleet: Fleet;

beforeAll(async () => {
  fleet = await startFleet({
    tls: false,
    specs: [
      { version: '7.16', exportText: SECRETS_CONFIG },
      { version: '6.49.10', exportText: SECRETS_CONFIG },
      { version: '7.16', serial: 'STABLE1' },
    ],
    base: {
      users: [
        { name: 'admin', password: 'pw' },
        { name: 'api-only', password: 'pw2', group: 'apionly' },
        { name: 'reader', password: 'pw3', group: 'read' },
      ],
    },
  });
  // A group without the ssh policy: RouterOS refuses its SSH logins.
  for (let i = 0; i < 3; i++)
    fleet.device(i).store.add(
      '/user/group',
      new Map([
        ['name', 'apionly'],
        ['policy', 'read,write,api,sensitive'],
      ]),
    );
});
afterAll(() => fleet?.stop());

describe('ssh login', () => {
  it('accepts the right password and says ROSSSH; refuses a wrong one, a user without the ssh policy, wrongPassword', async () => {
    const d = fleet.devices[0]!;
    const banner = await new Promise<string>((resolve, reject) => {
      const s = net.connect({ host: d.address, port: d.sshPort as number });
      s.once('data', (b) => {
        s.destroy();
        resolve(b.toString('latin1'));
      });
      s.once('error', reject);
    });
    expect(banner).toBe('SSH-2.0-ROSSSH\r\n');
    (await sshConnect(d)).end();
    await expect(sshConnect(d, { password: 'nope' })).rejects.toThrow(/authentication/i);
    await expect(sshConnect(d, { username: 'api-only', password: 'pw2' })).rejects.toThrow(/authentication/i);
    // The same user may use the API (the policy is per service).
    const api = await connect(d, { username: 'api-only', password: 'pw2' });
    await api.close();
    fleet.device(0).setFault({ wrongPassword: true });
    await expect(sshConnect(d)).rejects.toThrow(/authentication/i);
    fleet.device(0).setFault({ wrongPassword: undefined });
    expect(
      fleet
        .device(0)
        .logs.some((l) => l.message.includes('login failure for user admin') && l.message.endsWith('via ssh')),
    ).toBe(true);
  });
});

describe('host key', () => {
  it('is the same for the same device across a restart, differs between devices, changes on regenerate-host-key', async () => {
    const seen: string[] = [];
    await withSsh(fleet.devices[2]!, async () => {}, { seen: (f) => seen.push(f) });
    expect(seen[0]).toBe(fleet.devices[2]!.sshHostKey);
    expect(seen[0]).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(fleet.devices[0]!.sshHostKey).not.toBe(seen[0]);

    // A new simulator process with the same device: the same key.
    const again = await startFleet({ tls: false, specs: [{}, {}, { version: '7.16', serial: 'STABLE1' }] });
    try {
      expect(again.devices[2]!.sshHostKey).toBe(seen[0]);
      const now: string[] = [];
      await withSsh(again.devices[2]!, async () => {}, { seen: (f) => now.push(f) });
      expect(now[0]).toBe(seen[0]);
    } finally {
      await again.stop();
    }

    // Regenerated over the API: new connections see another key.
    const api = await connect(fleet.devices[2]!, { username: 'admin', password: 'pw' });
    await api.command('/ip/ssh/regenerate-host-key');
    await api.close();
    const after: string[] = [];
    await withSsh(fleet.devices[2]!, async () => {}, { seen: (f) => after.push(f) });
    expect(after[0]).not.toBe(seen[0]);

    // And over SSH itself.
    await withSsh(fleet.devices[2]!, (c) => exec(c, '/ip ssh regenerate-host-key'));
    const third: string[] = [];
    await withSsh(fleet.devices[2]!, async () => {}, { seen: (f) => third.push(f) });
    expect(third[0]).not.toBe(after[0]);
  });
});

describe('exec /export', () => {
  it('v7 hides secrets unless show-sensitive; lines end in CRLF; exit status 0', async () => {
    await withSsh(fleet.devices[0]!, async (c) => {
      const plain = await exec(c, '/export terse');
      expect(plain.closed).toBe(true);
      expect(plain.code).toBe(0);
      expect(plain.out).toMatch(/^# .* by RouterOS 7\.16\r\n/);
      expect(plain.out).toContain('/ip firewall filter add action=accept chain=input comment=fw1\r\n');
      expect(plain.out).not.toContain('s3cret-ppp');
      expect(plain.out.replace(/\r\n/g, '')).not.toContain('\n');
      const secret = await exec(c, '/export terse show-sensitive');
      expect(secret.out).toContain('password=s3cret-ppp');
    });
  });

  it('v6 shows secrets always, hides them with hide-sensitive, and answers show-sensitive with its syntax error', async () => {
    await withSsh(fleet.devices[1]!, async (c) => {
      const plain = await exec(c, '/export');
      expect(plain.out).toMatch(/by RouterOS 6\.49\.10\r\n/);
      expect(plain.out).toContain('password=s3cret-ppp');
      expect((await exec(c, '/export hide-sensitive')).out).not.toContain('s3cret-ppp');
      const bad = await exec(c, '/export show-sensitive');
      expect(bad.out).toBe('expected end of command (line 1 column 9)\r\n');
      expect(bad.code).toBe(0);
      expect((await exec(c, '/export terse show-sensitive')).out).toBe(
        'expected end of command (line 1 column 15)\r\n',
      );
      // v6 reads menus separated by blanks only.
      expect((await exec(c, '/ip/firewall/export')).out).toBe(
        'bad command name ip/firewall/export (line 1 column 2)\r\n',
      );
    });
  });

  it('menu-scoped exports, in both spellings on v7', async () => {
    await withSsh(fleet.devices[0]!, async (c) => {
      for (const cmd of ['/ip firewall export terse', '/ip/firewall/export terse', 'ip firewall export terse']) {
        const r = await exec(c, cmd);
        expect(r.out).toContain('/ip firewall filter add action=accept chain=input comment=fw1\r\n');
        expect(r.out).not.toContain('/ppp');
        expect(r.out).not.toContain('/system identity');
      }
      expect((await exec(c, '/export verbose')).out).toContain('disabled=no');
    });
  });

  it('unknown words: bad command name with its column; unknown arguments: expected end of command', async () => {
    await withSsh(fleet.devices[0]!, async (c) => {
      expect((await exec(c, 'bash -se')).out).toBe('bad command name bash (line 1 column 1)\r\n');
      expect((await exec(c, '/ip frewall export')).out).toBe('bad command name frewall (line 1 column 5)\r\n');
      expect((await exec(c, '/export bogus')).out).toBe('expected end of command (line 1 column 9)\r\n');
      expect((await exec(c, '/export\n/bogus')).out).toMatch(/bad command name bogus \(line 2 column 2\)\r\n$/);
      expect((await exec(c, '/export name="x')).out).toBe('syntax error (line 1 column 9)\r\n');
    });
  });

  it('show-sensitive needs the sensitive policy; file= needs write', async () => {
    const d = fleet.device(0);
    d.store.add(
      '/user/group',
      new Map([
        ['name', 'nosecrets'],
        ['policy', 'ssh,read'],
      ]),
    );
    d.store.add(
      '/user',
      new Map([
        ['name', 'peek'],
        ['group', 'nosecrets'],
        ['password', 'pw4'],
      ]),
    );
    await withSsh(
      fleet.devices[0]!,
      async (c) => {
        expect((await exec(c, '/export show-sensitive')).out).toBe('not enough permissions (9)\r\n');
        expect((await exec(c, '/export file=x')).out).toBe('not enough permissions (9)\r\n');
        expect((await exec(c, '/export terse')).out).toContain('comment=fw1');
      },
      { username: 'peek', password: 'pw4' },
    );
  });
});
