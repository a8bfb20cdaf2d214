import type { Envelope } from '../../platform/kms/envelope.js';

// Where a device's RouterOS password is kept, and the AAD context that binds each ciphertext to its row: a
// ciphertext copied from one device (or profile) to another does not decrypt.
export const devicePasswordContext = (deviceId: string) => `device:${deviceId}:password`;
export const profilePasswordContext = (profileId: string) => `credential_profile:${profileId}:password`;

export type StoredCredentials = {
  tenant_id: string;
  device_id: string;
  username: string | null;
  password_enc: Buffer | null;
  profile_id: string | null;
  profile_username: string | null;
  profile_password_enc: Buffer | null;
};

/** SQL selecting StoredCredentials for devices `d` (join credential_profiles `p`), for pollers and probes. */
export const storedCredentialsSql = `
  select d.tenant_id, d.id as device_id, d.username, d.password_enc, p.id as profile_id,
         p.username as profile_username, p.password_enc as profile_password_enc
    from devices d left join credential_profiles p on p.id = d.credential_profile_id`;

/** Decrypts the credentials a device logs in with: its own, or its credential profile's. */
export async function resolveCredentials(
  envelope: Envelope,
  c: StoredCredentials,
): Promise<{ username: string; password: string }> {
  if (c.profile_id && c.profile_username && c.profile_password_enc) {
    const pw = await envelope.decrypt(c.tenant_id, c.profile_password_enc, profilePasswordContext(c.profile_id));
    return { username: c.profile_username, password: pw.toString('utf8') };
  }
  if (!c.username || !c.password_enc) throw new Error(`device ${c.device_id} has no credentials`);
  const pw = await envelope.decrypt(c.tenant_id, c.password_enc, devicePasswordContext(c.device_id));
  return { username: c.username, password: pw.toString('utf8') };
}
