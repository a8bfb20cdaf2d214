import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import { removeFile } from '../changes/arm.js';
import { type PlannedCommand, planned } from '../changes/commands.js';
import type { Planner } from '../changes/engine.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import { compareVersions } from '../firmware/versions.js';
import { certificatesRepo } from './certificates.repo.js';

// A certificate onto a router, as one safe-change operation: the PEM files uploaded (over the API where RouterOS
// has `/file/add`, 7.9+, else SFTP), imported, the certificate named, api-ssl switched to it, the files removed
// and, for a rotation, the certificate it replaces removed. The engine arms the revert first and verifies each
// command on a fresh session; the certificates feature then proves it with a verified TLS connection.

export const DEPLOY_KIND = 'certificate_deploy';

export const certKeyContext = (id: string) => `device-certificate:${id}:key`;

/** RouterOS prints a certificate's fingerprint as lowercase hex without colons. */
export const routerFingerprint = (fp: string) => fp.replaceAll(':', '').toLowerCase();

export class CertificatePlanFailed extends Error {}

const FILE_ADD_FROM = '7.9';

export function deployPlanner(deps: { envelope: Envelope; access: Pick<DeviceAccess, 'withSsh'> }): Planner {
  return async ({ op, ref, io, tenantDb }) => {
    const id = (op.request as { certificate_id: string }).certificate_id;
    const cert = await tenantDb((db) => certificatesRepo.byId(db, id));
    if (!cert || (cert.state !== 'pending' && cert.state !== 'deploying'))
      throw new CertificatePlanFailed(`certificate ${id} is no longer waiting to be deployed`);
    const replaced = cert.replaces_id
      ? await tenantDb((db) => certificatesRepo.byId(db, cert.replaces_id!))
      : undefined;
    await tenantDb((db) => certificatesRepo.update(db, id, { state: 'deploying', operation_id: op.id }));
    const key = await deps.envelope.decrypt(
      op.tenant_id,
      cert.key_sealed,
      certKeyContext(id),
      useByWorker('certificates', 'deploy'),
    );

    const files = { cert: `${cert.name}.crt`, key: `${cert.name}.key` };
    io.trips.n++;
    const [resource] = (await io.client.command('/system/resource/print')) as Array<Record<string, string>>;
    const version = (resource?.version ?? '0').split(' ')[0] ?? '0';
    if (compareVersions(version, FILE_ADD_FROM) >= 0) {
      for (const [name, text] of [
        [files.cert, cert.cert_pem],
        [files.key, key.toString('utf8')],
      ] as const) {
        await removeFile(io, name);
        io.trips.n++;
        await io.client.command('/file/add', { name, contents: text });
      }
    } else {
      await deps.access.withSsh(ref, 'change', async (s) => {
        await s.writeFile(files.cert, Buffer.from(cert.cert_pem));
        await s.writeFile(files.key, key);
      });
    }
    key.fill(0);

    const fp = routerFingerprint(cert.fingerprint);
    const commands: PlannedCommand[] = [
      planned({
        path: '/certificate',
        verb: 'import',
        properties: { 'file-name': files.cert, passphrase: '' },
        expect: { fingerprint: fp },
      }),
      planned({
        path: '/certificate',
        verb: 'import',
        properties: { 'file-name': files.key, passphrase: '' },
        expect: { fingerprint: fp, 'private-key': 'true' },
      }),
      planned({ path: '/certificate', verb: 'set', where: { fingerprint: fp }, properties: { name: cert.name } }),
      planned({ path: '/ip/service', verb: 'set', where: { name: 'api-ssl' }, properties: { certificate: cert.name } }),
      planned({ path: '/file', verb: 'remove', where: { name: files.cert } }),
      planned({ path: '/file', verb: 'remove', where: { name: files.key } }),
    ];
    if (replaced && replaced.name !== cert.name)
      commands.push(planned({ path: '/certificate', verb: 'remove', where: { name: replaced.name } }));
    return {
      commands,
      summary: `certificate ${cert.name} (${cert.common_name}) for api-ssl${replaced ? `, replacing ${replaced.name}` : ''}`,
    };
  };
}
