import { ParseError } from '@tod/rsc';
import { useByWorker } from '../../../platform/kms/key-use.js';
import { KmsError } from '../../../platform/kms/provider.js';
import { resolveCredentials } from '../../devices/credentials.js';
import { compareVersions, majorOf } from '../../firmware/versions.js';
import { complianceQueries, type DriftRow } from './compliance.queries.js';
import { type ConfigFindings, configFindings } from './compliance-config.js';
import { credentialFinding } from './compliance-credentials.js';
import type { Block, Cell, ReportDoc } from './model.js';
import type { KindContext } from './types.js';

// Compliance: per device, its RouterOS version against the newest of its channel (the firmware feature's
// inventory), the credentials TOD uses for it (default or weak), the management services its latest backup leaves
// open to any address, whether its firewall drops anything on the input chain, and drift from its templates.
// A device without a backup cannot be judged on its configuration: it is listed as not assessed. Secrets are opened
// with the KeyUse purpose 'compliance report' and only findings leave this file.

const PURPOSE = 'compliance report';
const BACKUP_READS = 4;
const PAGE = 500;

type VersionState = { version: string | null; channel: string | null; latest: string | null; status: string };
type ConfigState = { findings: ConfigFindings } | { notAssessed: string };

/**
 * A ciphertext that does not open is that device's finding; a key provider that does not answer fails the whole
 * report (the runner retries it) rather than reporting every device as unreadable.
 */
const unreadable = (e: unknown) =>
  e instanceof KmsError && (e.code === 'decrypt_failed' || e.code === 'bad_ciphertext');

/** `fn` over `items`, at most `n` at a time. */
async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

async function versions(k: KindContext): Promise<Map<string, VersionState>> {
  const items: Array<{
    device_id: string;
    version: string | null;
    channel: string | null;
    latest_version: string | null;
  }> = [];
  let latest: Array<{ channel: string; major: number; version: string }> = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await k.deps.firmware.inventory(k.actor, { limit: PAGE, offset });
    items.push(...page.items);
    latest = page.latest;
    if (page.items.length < PAGE || offset + PAGE >= page.total) break;
  }
  const out = new Map<string, VersionState>();
  for (const i of items) {
    const major = majorOf(i.version);
    const ofChannel = latest.find((l) => l.channel === i.channel && l.major === major)?.version;
    const newest = ofChannel ?? i.latest_version;
    const status = !i.version
      ? 'unknown'
      : !newest
        ? 'not checked'
        : compareVersions(i.version, newest) >= 0
          ? 'current'
          : 'outdated';
    out.set(i.device_id, { version: i.version, channel: i.channel, latest: newest ?? null, status });
  }
  return out;
}

export async function complianceReport(k: KindContext): Promise<ReportDoc> {
  const use = { actor: k.params.keyActor ?? useByWorker('reports').actor, purpose: PURPOSE };
  const { stored, drift } = await k.inTenant(async (db) => ({
    stored: await complianceQueries.credentials(db, k.scope),
    drift: await complianceQueries.drift(db, k.scope),
  }));
  const credentials = new Map<string, { username: string; finding: string | null }>();
  for (const c of stored) {
    try {
      const plain = await resolveCredentials(k.deps.envelope, c, use);
      credentials.set(c.device_id as string, { username: plain.username, finding: credentialFinding(plain) });
    } catch (e) {
      if (!unreadable(e)) throw e;
      credentials.set(c.device_id as string, { username: '', finding: 'stored credentials cannot be opened' });
    }
  }
  const version = await versions(k);
  const config = new Map<string, ConfigState>();
  await pool(k.devices, BACKUP_READS, async (d) => {
    const latest = await k.deps.configBackups
      .latestOf({ tenantId: k.tenant.id, deviceId: d.id }, use)
      .catch((e) => (unreadable(e) ? null : Promise.reject(e)));
    if (latest === null) return config.set(d.id, { notAssessed: 'the latest backup cannot be decrypted' });
    if (!latest) return config.set(d.id, { notAssessed: 'no configuration backup' });
    try {
      config.set(d.id, { findings: configFindings(latest.text) });
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      config.set(d.id, { notAssessed: `the latest backup could not be read (line ${e.line})` });
    }
  });

  const driftOf = new Map<string, DriftRow[]>();
  for (const r of drift) driftOf.set(r.device_id, [...(driftOf.get(r.device_id) ?? []), r]);
  const findingsOf = (id: string) => {
    const c = config.get(id);
    return c && 'findings' in c ? c.findings : undefined;
  };

  const overview: Cell[][] = [];
  const versionRows: Cell[][] = [];
  const credentialRows: Cell[][] = [];
  const serviceRows: Cell[][] = [];
  const firewallRows: Cell[][] = [];
  const notAssessed: Cell[][] = [];
  const counts = { outdated: 0, credentials: 0, exposed: 0, noDrop: 0, drifted: 0, assessed: 0 };
  for (const d of k.devices) {
    const v = version.get(d.id);
    const cred = credentials.get(d.id);
    const f = findingsOf(d.id);
    const exposed = f?.services.filter((s) => s.exposed) ?? [];
    const drifted = (driftOf.get(d.id) ?? []).filter((x) => x.drift === 'drifted');
    if (v?.status === 'outdated') counts.outdated++;
    if (cred?.finding) counts.credentials++;
    if (exposed.length) counts.exposed++;
    if (f && !f.inputDrop) counts.noDrop++;
    if (drifted.length) counts.drifted++;
    if (f) counts.assessed++;
    overview.push([
      d.name,
      v?.version ?? null,
      v?.status ?? 'unknown',
      cred?.finding ? 'finding' : 'ok',
      f ? (exposed.length ? exposed.map((s) => s.name).join(', ') : 'none') : 'not assessed',
      f ? (f.inputDrop ? 'yes' : 'no') : null,
      driftOf.has(d.id) ? (drifted.length ? `${drifted.length} drifted` : 'in sync') : 'no template',
    ]);
    versionRows.push([d.name, v?.version ?? null, v?.channel ?? null, v?.latest ?? null, v?.status ?? 'unknown']);
    if (cred?.finding) credentialRows.push([d.name, cred.username || null, cred.finding]);
    for (const s of exposed) serviceRows.push([d.name, s.name, s.port || null, 'enabled, no address restriction']);
    if (f && !f.inputDrop)
      firewallRows.push([
        d.name,
        f.inputRules,
        'no input-chain rule drops or rejects: everything not accepted is let in',
      ]);
    const c = config.get(d.id);
    if (c && 'notAssessed' in c) notAssessed.push([d.name, c.notAssessed]);
  }
  const order = ['outdated', 'not checked', 'unknown', 'current'];
  versionRows.sort((a, b) => order.indexOf(a[4] as string) - order.indexOf(b[4] as string));
  const names = new Map(k.devices.map((d) => [d.id, d.name]));

  const blocks: Block[] = [
    {
      type: 'facts',
      title: 'Overview',
      facts: [
        { label: 'Devices', value: k.devices.length, kind: 'int' },
        { label: 'Configuration assessed', value: counts.assessed, kind: 'int' },
        { label: 'Not assessed (no backup)', value: notAssessed.length, kind: 'int' },
        { label: 'Outdated RouterOS', value: counts.outdated, kind: 'int' },
        { label: 'Default or weak credentials', value: counts.credentials, kind: 'int' },
        { label: 'Devices with exposed services', value: counts.exposed, kind: 'int' },
        { label: 'Firewall without input drop', value: counts.noDrop, kind: 'int' },
        { label: 'Drifted from templates', value: counts.drifted, kind: 'int' },
      ],
    },
    {
      type: 'table',
      title: 'Devices',
      columns: [
        { header: 'Device', width: 1.6 },
        { header: 'RouterOS', width: 0.8 },
        { header: 'Version', width: 0.9 },
        { header: 'Credentials', width: 0.9 },
        { header: 'Exposed services', width: 3.2 },
        { header: 'Input drop', width: 0.8 },
        { header: 'Templates', width: 1 },
      ],
      rows: overview,
      empty: 'No devices.',
    },
    { type: 'heading', text: 'Findings' },
    {
      type: 'table',
      title: 'RouterOS versions against the latest of their channel',
      columns: [
        { header: 'Device', width: 2 },
        { header: 'Installed' },
        { header: 'Channel' },
        { header: 'Latest' },
        { header: 'Status' },
      ],
      rows: versionRows,
      note: 'Latest: the newest version a device of the same channel and major version reported at its last check.',
    },
    {
      type: 'table',
      title: 'Default or weak credentials',
      columns: [{ header: 'Device', width: 2 }, { header: 'User' }, { header: 'Finding', width: 3 }],
      rows: credentialRows,
      empty: 'None found.',
      note: 'From the credentials TOD logs in with; the report never contains a password.',
    },
    {
      type: 'table',
      title: 'Services exposed to any address',
      columns: [
        { header: 'Device', width: 2 },
        { header: 'Service' },
        { header: 'Port', width: 0.7 },
        { header: 'Finding', width: 2.5 },
      ],
      rows: serviceRows,
      empty: 'None found.',
      note: 'From /ip service in the latest backup: enabled and without an address= allow-list.',
    },
    {
      type: 'table',
      title: 'Firewall without an input-chain drop',
      columns: [
        { header: 'Device', width: 2 },
        { header: 'Input rules', kind: 'int', width: 0.8 },
        { header: 'Finding', width: 4 },
      ],
      rows: firewallRows,
      empty: 'None found.',
    },
    {
      type: 'table',
      title: 'Drift from assigned templates',
      columns: [
        { header: 'Template', width: 1.8 },
        { header: 'Device', width: 1.8 },
        { header: 'State' },
        { header: 'Checked', kind: 'time', width: 1.3 },
        { header: 'Commands', kind: 'int', width: 1 },
        { header: 'Error', width: 1.5 },
      ],
      rows: drift.map((r) => [
        r.template,
        names.get(r.device_id) ?? r.device_id,
        r.drift.replace('_', ' '),
        r.checked_at,
        r.commands,
        r.error,
      ]),
      empty: 'No template is assigned to these devices.',
    },
    {
      type: 'table',
      title: 'Not assessed',
      columns: [
        { header: 'Device', width: 2 },
        { header: 'Why', width: 4 },
      ],
      rows: notAssessed,
      empty: 'Every device has a backup.',
      note: 'Services and firewall are judged from the latest configuration backup.',
    },
  ];
  return {
    title: 'Compliance report',
    subtitle: [
      'State at the time of the report (latest backups and checks).',
      ...(k.siteName ? [`Site: ${k.siteName}`] : []),
    ],
    blocks,
    summary: {
      devices: k.devices.length,
      assessed: counts.assessed,
      not_assessed: notAssessed.length,
      outdated: counts.outdated,
      weak_credentials: counts.credentials,
      exposed_services: counts.exposed,
      no_input_drop: counts.noDrop,
      drifted: counts.drifted,
    },
  };
}
