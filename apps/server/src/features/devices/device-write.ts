import type { Envelope } from '../../platform/kms/envelope.js';
import type { KeyUse } from '../../platform/kms/key-use.js';
import { devicePasswordContext } from './credentials.js';
import type { DeviceWrite } from './devices.repo.js';
import type { DeviceInput } from './devices.schema.js';

/** What a create or update writes: the password encrypted for this device's row, or none with a credential profile. */
export async function deviceWrite(
  envelope: Envelope,
  tenantId: string,
  id: string,
  b: DeviceInput,
  use: KeyUse,
): Promise<DeviceWrite> {
  return {
    name: b.name,
    host: b.host,
    port: b.port,
    tls_port: b.tls_port,
    tls_mode: b.tls_mode,
    ssh_port: b.ssh_port,
    winbox_port: b.winbox_port,
    username: b.credential_profile_id ? null : b.username,
    password_enc: b.credential_profile_id
      ? null
      : b.password !== undefined
        ? await envelope.encrypt(tenantId, b.password, devicePasswordContext(id), use)
        : undefined,
    credential_profile_id: b.credential_profile_id,
    site_id: b.site_id,
    notes: b.notes,
    latitude: b.latitude,
    longitude: b.longitude,
    disabled: b.disabled,
  };
}
