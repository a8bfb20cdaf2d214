import type pg from 'pg';
import { assertCan } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useBy } from '../../platform/kms/key-use.js';
import { recordAudit } from '../audit/audit.service.js';
import { catalogRepo } from '../catalog/catalog.repo.js';
import { deviceGroups, deviceTags, sites as siteCatalog } from '../catalog/catalogs.js';
import { credentialProfilesRepo } from '../credential-profiles/credential-profiles.repo.js';
import { parseCsv } from './csv.js';
import { deviceWrite } from './device-write.js';
import { devicesRepo } from './devices.repo.js';
import { deviceCreateBody, type RowOutcome } from './devices.schema.js';

export const importColumns = [
  'name',
  'host',
  'port',
  'tls_port',
  'tls_mode',
  'username',
  'password',
  'credential_profile',
  'site',
  'tags',
  'groups',
  'notes',
  'latitude',
  'longitude',
] as const;

const tagsRepo = catalogRepo(deviceTags);
const groupsRepo = catalogRepo(deviceGroups);
const sitesRepo = catalogRepo(siteCatalog);

const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));
const list = (s: string | undefined) =>
  s
    ? s
        .split(/[;|]/)
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
// Column names come from the caller's file: echoed back short, and only a few of them.
const shown = (names: string[]) =>
  names
    .slice(0, 10)
    .map((n) => JSON.stringify(n.length > 40 ? `${n.slice(0, 40)}…` : n))
    .join(', ') + (names.length > 10 ? `, … (${names.length} in all)` : '');

/** The header line → column names, refusing unknown or missing ones. */
function columnsOf(header: string[] | undefined): string[] {
  if (!header) throw new AppError('invalid_csv', 'CSV is empty; the first line names the columns');
  const cols = header.map((h) => h.trim().toLowerCase());
  const unknown = cols.filter((c) => !(importColumns as readonly string[]).includes(c));
  if (unknown.length)
    throw new AppError('invalid_csv', `unknown column(s): ${shown(unknown)}; allowed: ${importColumns.join(', ')}`);
  for (const need of ['name', 'host'])
    if (!cols.includes(need)) throw new AppError('invalid_csv', `column "${need}" is required`);
  return cols;
}

/**
 * Imports devices from CSV. Each row is all-or-nothing (a savepoint): bad rows are reported with their line
 * number and reason, good rows are added. Passwords in the file are encrypted like any other.
 */
export async function importDevicesCsv(
  deps: { appPool: pg.Pool; envelope: Envelope },
  actor: Actor,
  csv: string,
): Promise<{ added: number; failed: number; rows: RowOutcome[] }> {
  assertCan(actor, 'devices.write');
  let table: string[][];
  try {
    table = parseCsv(csv);
  } catch (e) {
    throw new AppError('invalid_csv', `CSV: ${(e as Error).message}`);
  }
  const [header, ...data] = table;
  const cols = columnsOf(header);
  if (data.length > 10_000) throw new AppError('invalid_csv', 'at most 10,000 rows per import');
  const tenantId = actor.tenantId!;

  return withTenant(deps.appPool, tenantId, async (db) => {
    const records = data.map(
      (fields) => Object.fromEntries(cols.map((c, i) => [c, fields[i]?.trim() ?? ''])) as Record<string, string>,
    );
    // In this transaction: the catalogs' and profiles' own repos find (or create) what the file names.
    const tags = await tagsRepo.idsByName(
      db,
      tenantId,
      records.flatMap((r) => list(r.tags)),
    );
    const groups = await groupsRepo.idsByName(
      db,
      tenantId,
      records.flatMap((r) => list(r.groups)),
    );
    const sites = await sitesRepo.idsByName(db, tenantId, records.map((r) => r.site ?? '').filter(Boolean));
    const profiles = await credentialProfilesRepo.idsByName(db);
    const outcomes: RowOutcome[] = [];
    for (const [i, rec] of records.entries()) {
      const row = i + 2; // line in the file: the header is line 1
      const profileName = rec.credential_profile?.toLowerCase();
      if (profileName && !profiles.has(profileName)) {
        outcomes.push({ row, ok: false, name: rec.name, error: 'credential_profile: no profile with this name' });
        continue;
      }
      const parsed = deviceCreateBody.safeParse({
        name: rec.name || rec.host,
        host: rec.host,
        port: num(rec.port),
        tls_port: num(rec.tls_port),
        tls_mode: rec.tls_mode || undefined,
        username: profileName ? undefined : rec.username || undefined,
        password: profileName ? undefined : (rec.password ?? undefined),
        credential_profile_id: profileName ? profiles.get(profileName) : undefined,
        notes: rec.notes || undefined,
        latitude: num(rec.latitude) ?? null,
        longitude: num(rec.longitude) ?? null,
      });
      if (!parsed.success) {
        outcomes.push({
          row,
          ok: false,
          name: rec.name,
          error: parsed.error.issues.map((x) => `${x.path.join('.') || 'row'}: ${x.message}`).join('; '),
        });
        continue;
      }
      const b = parsed.data;
      const id = crypto.randomUUID();
      try {
        await devicesRepo.inSavepoint(db, async () => {
          const site_id = rec.site ? (sites.get(rec.site.toLowerCase()) ?? null) : null;
          const write = await deviceWrite(
            deps.envelope,
            tenantId,
            id,
            { ...b, password: b.password ?? '', site_id },
            useBy(actor, 'seal'),
          );
          await devicesRepo.insert(db, tenantId, id, write);
          const tagIds = list(rec.tags).map((t) => tags.get(t.toLowerCase())!);
          const groupIds = list(rec.groups).map((g) => groups.get(g.toLowerCase())!);
          await devicesRepo.setLinks(db, tenantId, 'device_tag_links', [id], tagIds, 'add');
          await devicesRepo.setLinks(db, tenantId, 'device_group_members', [id], groupIds, 'add');
        });
        outcomes.push({ row, ok: true, id, name: b.name });
      } catch (e) {
        const err = e as { code?: string; message?: string };
        const reason =
          err.code === '23505' ? `a device with host ${b.host} and port ${b.port} exists` : (err.message ?? 'failed');
        outcomes.push({ row, ok: false, name: b.name, error: reason });
      }
    }
    const added = outcomes.filter((o) => o.ok).length;
    await recordAudit(db, actor, {
      action: 'device.import',
      targetType: 'device',
      details: { added, failed: outcomes.length - added },
    });
    return { added, failed: outcomes.length - added, rows: outcomes };
  });
}
