import net from 'node:net';
import { type RouterOSClient, type TransportInfo, TrapError } from '@tod/routeros';
import type pg from 'pg';
import { enterAll, Gate, GateTimeout } from '../../platform/concurrency/gate.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { type KeyUse, useByPoller, useByWorker } from '../../platform/kms/key-use.js';
import { KmsError } from '../../platform/kms/provider.js';
import type { Cidr } from '../../platform/net/cidr.js';
import { credentialProfilesRepo } from '../credential-profiles/credential-profiles.repo.js';
import { resolveCredentials, type StoredCredentials } from '../devices/credentials.js';
import { devicesRepo } from '../devices/devices.repo.js';
import { acquireChangeLock, type ChangeLockOptions } from './change-lock.js';
import { type Credentials, connectApi, type Endpoint, type Trust } from './connect.js';
import { knock } from './knock.js';
import { type DeviceRef, type Lease, takeLease } from './leases.js';
import { type Purpose, purposeLimits } from './purposes.js';
import { connectSsh, type SshSession, sshSession } from './ssh.js';
import { createTargetPolicy, type OwnEndpoint } from './target-policy.js';
import { DeviceAccessError, toAccessError } from './taxonomy.js';

// The one way TOD reaches a router. Every feature opens sessions here, for a purpose:
//  - target and credentials come from the devices repo and are decrypted once per session open;
//  - the target policy refuses denied networks and TOD's own ports, after resolving the host name;
//  - TLS follows the device's mode, with its pinned fingerprint (trust on first use: the first certificate seen is
//    pinned; a different one later is `tls_fingerprint_mismatch`);
//  - the purpose sets timeouts and reply limits;
//  - sessions other than the poller's own lease one of a few slots per device (RouterOS limits API logins);
//    a caller beyond them waits, bounded, and never opens more;
//  - probes and scans are also bounded per process and per tenant.
//  - SSH sessions (openSsh, config backups) use the same target, policy (on the SSH port), slots and taxonomy;
//    their host key is pinned on first use like the certificate (`ssh_host_key_mismatch` after, until cleared).

export type { SshSession } from './ssh.js';

export type DeviceAccessOptions = {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  maxExtraSessions: number;
  /** How long a session slot stays taken without renewal (a process that died frees its slots after this). */
  sessionLeaseMs: number;
  probeConcurrency: number;
  probeConcurrencyPerTenant: number;
  deny: readonly Cidr[];
  own: readonly OwnEndpoint[];
};

export type ApiSession = {
  readonly client: RouterOSClient;
  readonly transport: TransportInfo;
  /** Set when this open pinned the device's certificate (trust on first use). */
  readonly pinned: string | undefined;
  /** Closes the session and frees its slot. Safe to call twice. */
  release(): Promise<void>;
};

export type OpenOptions = {
  /** Longest wait for a session slot or a probe slot. Default 30 s. */
  waitMs?: number;
  /** TCP keepalive (the poller's long-lived sessions). */
  tcpKeepAliveMs?: number;
  /** Overrides of the purpose's timeouts (the poller has its own settings). */
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Who opens the stored credentials, and why (the key-access log); default: the poller for `poll`, else a worker. */
  use?: KeyUse;
  /** Only a certificate verified against the organisation's CA, whatever the device's TLS mode (a deploy's proof). */
  verifiedTls?: boolean;
};

const DEFAULT_WAIT_MS = 30_000;
const defaultUse = (purpose: Purpose): KeyUse => (purpose === 'poll' ? useByPoller() : useByWorker(purpose));
const sessionSlots = (n: number) => Array.from({ length: n }, (_, i) => `session:${i + 1}`);

export function createDeviceAccess(deps: { appPool: pg.Pool; envelope: Envelope; options: DeviceAccessOptions }) {
  const o = deps.options;
  const limits = purposeLimits({ connectTimeoutMs: o.connectTimeoutMs, commandTimeoutMs: o.commandTimeoutMs });
  const policy = createTargetPolicy({ deny: o.deny, own: o.own, resolveTimeoutMs: o.connectTimeoutMs });
  const probesPerProcess = new Gate(o.probeConcurrency);
  const probesPerTenant = new Gate(o.probeConcurrencyPerTenant);
  // In front of the database slots: this process never even asks for more than the bound.
  const localSlots = new Gate(o.maxExtraSessions);
  const inTenant = <T>(tenantId: string, fn: (db: pg.PoolClient) => Promise<T>) =>
    withTenant(deps.appPool, tenantId, fn);

  async function decrypt(stored: StoredCredentials, use: KeyUse): Promise<Credentials> {
    try {
      return await resolveCredentials(deps.envelope, stored, use);
    } catch (e) {
      // The key provider's code (`provider_unreachable`: OpenBao down) tells an operator where to look.
      const why = e instanceof KmsError ? ` (${e.code})` : '';
      throw new DeviceAccessError('credentials_unavailable', `the stored credentials cannot be decrypted${why}`);
    }
  }

  // Where verified TLS gets an organisation's CAs (features/certificates registers it): a device of an organisation
  // with a CA is verified against that CA, not public ones.
  let trustOf: ((tenantId: string) => Promise<Trust | null>) | undefined;

  /** The device's endpoint and its stored (still encrypted) credentials; not_found for another tenant's id. */
  async function loadTarget(ref: DeviceRef) {
    const row = await inTenant(ref.tenantId, (db) => devicesRepo.accessTarget(db, ref.deviceId));
    if (!row) throw notFound('device');
    const endpoint: Endpoint = {
      host: row.host,
      port: row.port,
      tlsPort: row.tls_port,
      tlsMode: row.tls_mode,
      fingerprint: row.tls_fingerprint,
      trust: row.tls_mode === 'plain' || !trustOf ? null : await trustOf(ref.tenantId),
    };
    return { endpoint, row };
  }

  /** Probe and scan slots: per process and per tenant, in arrival order. */
  async function probeSlot(tenantId: string, waitMs: number): Promise<() => void> {
    try {
      return await enterAll(
        [
          [probesPerTenant, tenantId],
          [probesPerProcess, 'all'],
        ],
        Date.now() + waitMs,
      );
    } catch (e) {
      if (e instanceof GateTimeout)
        throw new AppError('rate_limited', 'too many probes in progress; try again shortly');
      throw e;
    }
  }

  /** One of the device's extra-session slots: first in this process, then across processes (device_leases). */
  async function sessionSlot(ref: DeviceRef, purpose: Purpose, waitMs: number, onLost: () => void) {
    const deadline = Date.now() + waitMs;
    const busy = () =>
      new AppError(
        'device_sessions_busy',
        `device ${ref.deviceId} already has ${o.maxExtraSessions} extra sessions open; try again shortly`,
      );
    let leaveLocal: () => void;
    try {
      leaveLocal = await localSlots.enter(ref.deviceId, waitMs);
    } catch (e) {
      if (e instanceof GateTimeout) throw busy();
      throw e;
    }
    try {
      const lease = await takeLease(deps.appPool, ref, {
        names: sessionSlots(o.maxExtraSessions),
        purpose,
        ttlMs: o.sessionLeaseMs,
        waitMs: Math.max(0, deadline - Date.now()),
        autoRenew: true,
        onLost,
      });
      if (!lease) throw busy();
      return async () => {
        leaveLocal();
        await lease.release().catch(() => {});
      };
    } catch (e) {
      leaveLocal();
      throw e;
    }
  }

  async function pinIfFirst(ref: DeviceRef, endpoint: Endpoint, t: TransportInfo): Promise<string | undefined> {
    if (!t.fingerprint || endpoint.fingerprint || (t.kind !== 'tls-pinned' && t.kind !== 'tls-verified'))
      return undefined;
    const pinned = await inTenant(ref.tenantId, (db) => devicesRepo.pinFingerprint(db, ref.deviceId, t.fingerprint!));
    return pinned ? t.fingerprint : undefined;
  }

  const isProbe = (p: Purpose) => p === 'probe' || p === 'scan';
  const limitsFor = (p: Purpose, opts: OpenOptions) => ({
    ...limits[p],
    ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    ...(opts.commandTimeoutMs !== undefined ? { commandTimeoutMs: opts.commandTimeoutMs } : {}),
  });

  /** Pins the host key when none is pinned yet; a key pinned meanwhile by another session must be the same one. */
  async function pinSshIfFirst(ref: DeviceRef, pinned: string | null, seen: string, label: string) {
    if (pinned) return undefined;
    const [won, now] = await inTenant(ref.tenantId, async (db) => {
      const w = await devicesRepo.pinSshHostKey(db, ref.deviceId, seen);
      return [w, w ? seen : await devicesRepo.sshHostKey(db, ref.deviceId)] as const;
    });
    if (!won && now !== seen)
      throw new DeviceAccessError(
        'ssh_host_key_mismatch',
        `${label}: the SSH host key differs from the one pinned meanwhile (it presents ${seen})`,
      );
    return won ? seen : undefined;
  }

  /**
   * An SSH session to a saved device (exec and SFTP). It takes one of the device's extra-session slots, like an API
   * session; the host key is checked before the password is sent and pinned on first use.
   */
  async function openSsh(ref: DeviceRef, purpose: Purpose, opts: OpenOptions = {}): Promise<SshSession> {
    const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
    const { row } = await loadTarget(ref);
    const label = `${row.host} (SSH ${row.ssh_port})`;
    const releases: Array<() => unknown> = [];
    let client: Awaited<ReturnType<typeof connectSsh>>['client'] | undefined;
    try {
      if (isProbe(purpose)) releases.push(await probeSlot(ref.tenantId, waitMs));
      // A person's terminal may stay open for hours: it must not hold a slot backups and changes wait for (the
      // remote-access feature bounds terminals per device itself).
      if (purpose !== 'remote') releases.push(await sessionSlot(ref, purpose, waitMs, () => client?.destroy()));
      const creds = await decrypt(row, opts.use ?? defaultUse(purpose));
      const l = limitsFor(purpose, opts);
      const c = await connectSsh(policy, { host: row.host, port: row.ssh_port, hostKey: row.ssh_host_key }, creds, l);
      client = c.client;
      const pinned = await pinSshIfFirst(ref, row.ssh_host_key, c.hostKey, label);
      return sshSession(c.client, { hostKey: c.hostKey, pinned, limits: l, label }, releases);
    } catch (e) {
      client?.destroy();
      for (const r of releases.reverse()) await r();
      throw e;
    }
  }

  /**
   * An API session to a saved device. `poll` is the poller's own long-lived session (one per device, owned by
   * the poller that claims it); every other purpose leases one of the device's extra-session slots.
   */
  async function openApi(ref: DeviceRef, purpose: Purpose, opts: OpenOptions = {}): Promise<ApiSession> {
    const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
    const { endpoint: stored, row } = await loadTarget(ref);
    const endpoint: Endpoint = opts.verifiedTls ? { ...stored, tlsMode: 'verify', fingerprint: null } : stored;
    if (opts.verifiedTls && !endpoint.trust) endpoint.trust = trustOf ? await trustOf(ref.tenantId) : null;
    const releases: Array<() => unknown> = [];
    let client: RouterOSClient | undefined;
    try {
      if (isProbe(purpose)) releases.push(await probeSlot(ref.tenantId, waitMs));
      if (purpose !== 'poll') releases.push(await sessionSlot(ref, purpose, waitMs, () => client?.destroy()));
      // Decrypted once the slots are ours: a caller refused or kept waiting never holds the plaintext.
      const creds = await decrypt(row, opts.use ?? defaultUse(purpose));
      client = await connectApi(policy, endpoint, creds, limitsFor(purpose, opts), opts);
      const pinned = await pinIfFirst(ref, endpoint, client.transport);
      return session(client, pinned, releases);
    } catch (e) {
      client?.destroy();
      for (const r of releases.reverse()) await r();
      throw e;
    }
  }

  return {
    openApi,
    openSsh,

    /**
     * A raw TCP connection to one of a saved device's ports (WinBox tunnels), through the target policy; the caller
     * owns the socket. Refusals and timeouts come out in the taxonomy.
     */
    async connectTcp(ref: DeviceRef, which: 'winbox'): Promise<net.Socket> {
      const { row } = await loadTarget(ref);
      const port = which === 'winbox' ? row.winbox_port : row.port;
      const address = await policy.resolve(row.host, [port]);
      return new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect({ host: address, port });
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new DeviceAccessError('timeout', `${row.host} (${which} ${port}): no connection in time`));
        }, o.connectTimeoutMs);
        socket.once('connect', () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          resolve(socket);
        });
        socket.once('error', (e: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          const refused = e.code === 'ECONNREFUSED' || e.code === 'ECONNRESET';
          reject(
            new DeviceAccessError(
              refused ? 'refused' : 'unreachable',
              `${row.host} (${which} ${port}): ${refused ? 'connection refused: is the service enabled?' : `unreachable (${e.code ?? 'error'})`}`,
            ),
          );
        });
      });
    },

    /** The source of organisations' CAs for verified TLS (one: the certificates feature). */
    registerTrust(source: (tenantId: string) => Promise<Trust | null>) {
      if (trustOf) throw new Error('a trust source is already registered');
      trustOf = source;
    },

    /**
     * Opens an SSH session, runs `fn` on it and releases it. Failures come out as AppError (DeviceAccessError for
     * reaching the device); anything else as the taxonomy's `error`.
     */
    async withSsh<T>(
      ref: DeviceRef,
      purpose: Purpose,
      fn: (s: SshSession) => Promise<T>,
      opts: OpenOptions = {},
    ): Promise<T> {
      const s = await openSsh(ref, purpose, opts);
      try {
        return await fn(s);
      } catch (e) {
        throw e instanceof AppError ? e : toAccessError(e, 'session');
      } finally {
        await s.release();
      }
    },

    /**
     * Opens a session, runs `fn` on it and releases it. Failures come out as DeviceAccessError, except the
     * router's own refusals of a command (TrapError), which the feature interprets.
     */
    async withApi<T>(
      ref: DeviceRef,
      purpose: Purpose,
      fn: (client: RouterOSClient) => Promise<T>,
      opts: OpenOptions = {},
    ): Promise<T> {
      const s = await openApi(ref, purpose, opts);
      try {
        return await fn(s.client);
      } catch (e) {
        throw e instanceof AppError || e instanceof TrapError ? e : toAccessError(e, 'session');
      } finally {
        await s.release();
      }
    },

    /** An API session to a target that is not a saved device (the add-device form's probe, scan hits). */
    async openApiTo(
      tenantId: string,
      endpoint: Endpoint,
      creds: Credentials,
      purpose: 'probe' | 'scan',
      opts: OpenOptions = {},
    ): Promise<ApiSession> {
      const release = await probeSlot(tenantId, opts.waitMs ?? DEFAULT_WAIT_MS);
      try {
        const client = await connectApi(policy, endpoint, creds, limitsFor(purpose, opts), opts);
        return session(client, undefined, [release]);
      } catch (e) {
        release();
        throw e;
      }
    },

    /** Credentials of a credential profile, decrypted (for probing with a profile before the device is saved). */
    async profileCredentials(tenantId: string, profileId: string, use: KeyUse): Promise<Credentials | undefined> {
      const stored = await inTenant(tenantId, (db) =>
        credentialProfilesRepo.storedCredentials(db, tenantId, profileId),
      );
      return stored ? decrypt(stored, use) : undefined;
    },

    /** The scan's knock on one address: checked against the policy first; denied targets are not touched. */
    async knock(address: string, port: number, timeoutMs: number, askRouterOS: boolean) {
      await policy.check(address, [port], address);
      return knock(address, port, timeoutMs, askRouterOS);
    },

    /**
     * The device's change lock: one change operation at a time per device, across processes. Held by another:
     * waits up to `waitMs` (default 0), then 409 `device_busy`. Long holders renew it (or pass `autoRenew`).
     */
    async changeLock(ref: DeviceRef, lock: ChangeLockOptions): Promise<Lease> {
      if (!(await inTenant(ref.tenantId, (db) => devicesRepo.existing(db, [ref.deviceId]))).length)
        throw notFound('device');
      return acquireChangeLock(deps.appPool, ref, lock);
    },
  };
}

function session(client: RouterOSClient, pinned: string | undefined, releases: Array<() => unknown>): ApiSession {
  let done = false;
  return {
    client,
    transport: client.transport,
    pinned,
    async release() {
      if (done) return;
      done = true;
      await client.close().catch(() => {});
      for (const r of releases.reverse()) await r();
    },
  };
}

export type DeviceAccess = ReturnType<typeof createDeviceAccess>;
