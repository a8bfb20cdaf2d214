import { RouterOSClient } from '@tod/routeros';
import type pg from 'pg';
import type { Envelope } from '../../platform/kms/envelope.js';
import { resolveCredentials, type StoredCredentials, storedCredentialsSql } from '../devices/credentials.js';
import type { ClaimedDevice } from './claim.js';
import { CredentialsUnavailable } from './status.js';

export type SessionOptions = { connectTimeoutMs: number; commandTimeoutMs: number };

async function loadCredentials(system: pg.Pool, envelope: Envelope, deviceId: string) {
  const r = await system.query<StoredCredentials>(`${storedCredentialsSql} where d.id = $1`, [deviceId]);
  const row = r.rows[0];
  if (!row) throw new CredentialsUnavailable(`device ${deviceId} no longer exists`);
  try {
    return await resolveCredentials(envelope, row);
  } catch (err) {
    throw new CredentialsUnavailable(
      `credentials of device ${deviceId} cannot be decrypted: ${(err as Error).message}`,
    );
  }
}

/**
 * Opens the long-lived API session of a device: its credentials are read and decrypted just for this (never kept
 * beyond the connect call), the TLS fallback of @tod/routeros picks the transport, and a pinned fingerprint is
 * passed so a changed certificate is refused.
 */
export async function openSession(
  deps: { system: pg.Pool; envelope: Envelope },
  d: ClaimedDevice,
  o: SessionOptions,
): Promise<RouterOSClient> {
  const creds = await loadCredentials(deps.system, deps.envelope, d.device_id);
  return RouterOSClient.connect({
    host: d.host,
    port: d.port,
    tlsPort: d.tls_port,
    tlsMode: d.tls_mode,
    ...(d.tls_fingerprint ? { fingerprint: d.tls_fingerprint } : {}),
    username: creds.username,
    password: creds.password,
    connectTimeoutMs: o.connectTimeoutMs,
    commandTimeoutMs: o.commandTimeoutMs,
    tcpKeepAliveMs: 60_000,
  });
}

/** Trust on first use: store the certificate fingerprint a device presented, if none is stored yet. */
export async function pinFingerprint(system: pg.Pool, deviceId: string, fingerprint: string): Promise<boolean> {
  const r = await system.query('update devices set tls_fingerprint = $2 where id = $1 and tls_fingerprint is null', [
    deviceId,
    fingerprint,
  ]);
  return (r.rowCount ?? 0) > 0;
}
