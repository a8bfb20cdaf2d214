import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';

// Where a device's RouterOS password is kept, and the AAD context that binds each ciphertext to its row: a
// ciphertext copied from one device (or profile) to another does not decrypt. This file is the one place that
// decrypts them (the rows come from devicesRepo.accessTarget / profileCredentials).
export const devicePasswordContext = (deviceId: string) => `device:${deviceId}:password`;
export const profilePasswordContext = (profileId: string) => `credential_profile:${profileId}:password`;

export type StoredCredentials = {
  tenant_id: string;
  device_id: string | null;
  username: string | null;
  password_enc: Buffer | null;
  profile_id: string | null;
  profile_username: string | null;
  profile_password_enc: Buffer | null;
};

/** Decrypts the credentials a device logs in with: its own, or its credential profile's; `use`: who and why. */
export async function resolveCredentials(
  envelope: Envelope,
  c: StoredCredentials,
  use: KeyUse,
): Promise<{ username: string; password: string }> {
  if (c.profile_id && c.profile_username && c.profile_password_enc) {
    const pw = await envelope.decrypt(c.tenant_id, c.profile_password_enc, profilePasswordContext(c.profile_id), use);
    return { username: c.profile_username, password: pw.toString('utf8') };
  }
  if (!c.device_id || !c.username || !c.password_enc) throw new Error('no credentials are stored');
  const pw = await envelope.decrypt(c.tenant_id, c.password_enc, devicePasswordContext(c.device_id), use);
  return { username: c.username, password: pw.toString('utf8') };
}
