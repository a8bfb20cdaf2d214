import type { Db } from '../../platform/db/tx.js';
import type { PollResult } from '../poller/types.js';
import { normalizeMac } from '../topology/observe.js';
import { radiosOf, registrationsOf } from './parse.js';
import { type Collected, type RadioInsert, type RegistrationInsert, wirelessWriteRepo } from './wireless.repo.js';

// Ingest's wireless step, in the batch's transaction: the latest registrations and radios of each router that
// reported them, one signal sample per registration, and a miss for every registration a router no longer lists
// (or could not list: it was offline). A router's interfaces also match registrations that named its MAC before TOD
// knew it.
export async function consumeWireless(db: Db, results: readonly PollResult[]) {
  const regs: RegistrationInsert[] = [];
  const radios: RadioInsert[] = [];
  const collected: Collected[] = [];
  const radiosCollected: Collected[] = [];
  const owned = new Map<string, { tenant_id: string; device_id: string; mac: string }>();
  for (const r of results) {
    for (const i of r.interfaces ?? []) {
      const mac = normalizeMac(i.macAddress);
      if (mac) owned.set(`${r.deviceId}|${mac}`, { tenant_id: r.tenantId, device_id: r.deviceId, mac });
    }
    if (r.status === 'offline') {
      collected.push({ device_id: r.deviceId, at: r.at });
      continue;
    }
    const hasRegs = Array.isArray(r.facts.wireless);
    const hasRadios = Array.isArray(r.facts.wireless_interfaces);
    if (!hasRegs && !hasRadios) continue;
    const base = { tenant_id: r.tenantId, device_id: r.deviceId, at: r.at };
    const found = radiosOf(r.facts);
    for (const radio of found) radios.push({ ...radio, ...base });
    if (hasRadios) radiosCollected.push({ device_id: r.deviceId, at: r.at });
    if (hasRegs) {
      for (const reg of registrationsOf(r.facts, found)) regs.push({ ...reg, ...base });
      collected.push({ device_id: r.deviceId, at: r.at });
    }
  }
  await wirelessWriteRepo.resolvePending(db, [...owned.values()]);
  if (collected.length === 0 && radiosCollected.length === 0) return;
  await wirelessWriteRepo.upsertRegistrations(db, regs);
  await wirelessWriteRepo.markMissed(db, collected);
  await wirelessWriteRepo.replaceRadios(db, radios, radiosCollected);
  await wirelessWriteRepo.insertSignal(db, regs);
}
