import { randomUUID } from 'node:crypto';
import type { Envelope } from '../../platform/kms/envelope.js';
import { type KeyUse, useByWorker } from '../../platform/kms/key-use.js';
import { OperationFailed, type Planner } from '../changes/engine.js';
import { type FormOf, forms, type Tab, tabs } from './forms.js';
import { PlanError } from './model.js';
import { planSimpleConfig, readDevice } from './plan.js';

// An operation's request is stored as it is (`change_operations.request`, plain JSON), so a form's secrets (a PPPoE
// password, a WiFi passphrase, a user's password) are taken out of it and sealed with the organisation's key; the
// planner opens them when the operation runs. Nothing secret is ever in the clear in the database.

export const KIND = 'simple_config';
const SECRET_KEYS = new Set(['password', 'passphrase']);

export const tabTitles: Record<Tab, string> = {
  internet: 'Internet',
  lan: 'LAN and DHCP',
  wifi: 'WiFi',
  'port-forwarding': 'port forwarding',
  firewall: 'firewall',
  dns: 'DNS',
  system: 'system',
};

type Json = unknown;
/** The form without its secrets, and the secrets by their path (`pppoe.password`, `radios.0.passphrase`). */
export function splitSecrets(form: Json): { form: Json; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const walk = (v: Json, path: string[]): Json => {
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...path, String(i)]));
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) {
      if (SECRET_KEYS.has(k) && typeof x === 'string') secrets[[...path, k].join('.')] = x;
      else out[k] = walk(x, [...path, k]);
    }
    return out;
  };
  return { form: walk(form, []), secrets };
}

export function joinSecrets(form: Json, secrets: Record<string, string>): Json {
  const copy = structuredClone(form) as Record<string, Json>;
  for (const [path, value] of Object.entries(secrets)) {
    const parts = path.split('.');
    let at = copy as Record<string, Json>;
    for (const p of parts.slice(0, -1)) at = at[p] as Record<string, Json>;
    at[parts.at(-1) as string] = value;
  }
  return copy;
}

const contextOf = (id: string) => `simple-config:${id}:secrets`;

type StoredRequest = {
  tab: Tab;
  form: Json;
  secrets_id?: string;
  secrets_sealed?: string;
  login_user?: string | null;
  revert?: 'auto' | 'watchdog';
};

/** The request to store for an operation applying `form` (validated already) to one device. */
export async function buildRequest<T extends Tab>(
  envelope: Envelope,
  tenantId: string,
  tab: T,
  form: FormOf[T],
  use: KeyUse,
  o: { loginUser?: string | null; revert?: 'auto' | 'watchdog' } = {},
): Promise<StoredRequest> {
  const split = splitSecrets(form);
  const out: StoredRequest = { tab, form: split.form, login_user: o.loginUser ?? null, revert: o.revert ?? 'auto' };
  if (Object.keys(split.secrets).length > 0) {
    const id = randomUUID();
    const sealed = await envelope.encrypt(tenantId, JSON.stringify(split.secrets), contextOf(id), use);
    Object.assign(out, { secrets_id: id, secrets_sealed: sealed.toString('base64') });
  }
  return out;
}

/** The stored request back as a tab and its whole form (secrets opened), checked again like a request body. */
export async function openRequest(envelope: Envelope, tenantId: string, raw: Record<string, unknown>, use: KeyUse) {
  const r = raw as StoredRequest;
  if (!(tabs as readonly string[]).includes(r.tab)) throw new OperationFailed('invalid_simple_config', 'unknown tab');
  let secrets: Record<string, string> = {};
  if (r.secrets_id && r.secrets_sealed) {
    const sealed = Buffer.from(r.secrets_sealed, 'base64');
    const plain = await envelope.decrypt(tenantId, sealed, contextOf(r.secrets_id), use);
    secrets = JSON.parse(plain.toString('utf8'));
  }
  const parsed = forms[r.tab].safeParse(joinSecrets(r.form, secrets));
  if (!parsed.success) throw new OperationFailed('invalid_simple_config', 'the stored form is not valid');
  return { tab: r.tab, form: parsed.data as FormOf[Tab], loginUser: r.login_user ?? undefined };
}

/** The planner of `simple_config` operations: reads the device now, on the operation's session, and plans. */
export function simpleConfigPlanner(envelope: Envelope): Planner {
  return async ({ op, ref, io }) => {
    const { tab, form, loginUser } = await openRequest(envelope, ref.tenantId, op.request, useByWorker('change'));
    const device = await readDevice(io, tab);
    try {
      const commands = planSimpleConfig(tab, form, device.rows, {
        v7: device.v7,
        ...(loginUser ? { loginUser } : {}),
      });
      return { commands, summary: `${tabTitles[tab]} (${commands.length} command${commands.length === 1 ? '' : 's'})` };
    } catch (e) {
      if (e instanceof PlanError) throw new OperationFailed('invalid_simple_config', e.message);
      throw e;
    }
  };
}
