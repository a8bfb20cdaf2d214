// `/certificate` commands beyond the generic ones (import, and set/remove that keep `/ip service` references in
// step), and `/ip service set` checking the certificate it names.
import {
  CERTIFICATE_MENU,
  certificateChanged,
  findCertificate,
  type ImportCounts,
  importCertificates,
  PEM_PROP,
} from '../certificates.js';
import { fileBytes, fileName, listFiles } from '../files.js';
import { countChange } from '../safe-mode.js';
import { ConfigStore, type Item } from '../store.js';
import { atLeast } from '../version.js';
import { type CommandContext, CommandError, type Handler, requirePolicy } from './context.js';
import { remove, resolve, set } from './menu.js';

const noMatch = (name: string) => new CommandError(`input does not match any value of ${name}`, 1);

/**
 * `file-name=` names a file as RouterOS completes values: the file of that name, else the one file whose name
 * starts with it; several: ambiguous (what a client sending an empty name gets on a router with several files).
 */
function fileNamed(ctx: CommandContext, value: string): Item {
  const files = listFiles(ctx.device);
  const exact = files.find((f) => fileName(f) === value);
  if (exact) return exact;
  const prefixed = files.filter((f) => fileName(f).startsWith(value));
  if (prefixed.length === 1) return prefixed[0] as Item;
  if (prefixed.length > 1)
    throw new CommandError('ambiguous value of file-name, more than one possible value matches input', 1);
  throw noMatch('file-name');
}

function yesNo(ctx: CommandContext, name: string, fallback: boolean): boolean {
  const v = ctx.args.get(name);
  if (v === undefined) return fallback;
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  throw noMatch(name);
}

function importCommand(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const allowed = new Set(['file-name', 'passphrase', 'name', 'trusted']);
  if (atLeast(ctx.device.version, '7.21')) allowed.add('trust-store');
  for (const k of ctx.args.keys()) if (!allowed.has(k)) throw new CommandError(`unknown parameter ${k}`, 1);
  const wanted = ctx.args.get('file-name');
  if (wanted === undefined) throw new CommandError('missing value(s) of argument(s) file-name', 1);
  const file = fileNamed(ctx, wanted);
  const counts: ImportCounts = importCertificates(ctx.device, fileBytes(file), {
    fileName: fileName(file),
    name: ctx.args.get('name'),
    passphrase: ctx.args.get('passphrase') ?? '',
    trusted: yesNo(ctx, 'trusted', true),
    trustStore: ctx.args.get('trust-store'),
  });
  if (counts['files-imported'] > 0) {
    countChange(ctx.device);
    ctx.device.log('system,info', `certificates imported by ${ctx.caller.userName}`);
  }
  ctx.out.re(Object.fromEntries(Object.entries(counts).map(([k, n]) => [k, String(n)])));
  ctx.out.done();
}

// What can change on a certificate that was imported or signed (the rest comes from the certificate itself).
const SIGNED_SETTABLE = new Set(['.id', 'numbers', 'name', 'trusted', 'trust-store']);

function setCertificate(ctx: CommandContext): void {
  requirePolicy(ctx, 'write');
  const targets = resolve(ctx);
  for (const e of targets) {
    if (!e.item.props.has(PEM_PROP)) continue;
    for (const k of ctx.args.keys())
      if (!SIGNED_SETTABLE.has(k)) throw new CommandError(`failure: ${k} is read-only`, 1);
  }
  const before = targets.map((e) => ConfigStore.get(e.item, 'name') ?? '');
  set(ctx);
  targets.forEach((e, i) => {
    const now = ConfigStore.get(e.item, 'name') ?? '';
    if (now !== before[i]) certificateChanged(ctx.device, before[i] as string, now);
  });
  countChange(ctx.device);
}

/** A certificate in use can be removed: the services that named it fall back to `none`. */
function removeCertificate(ctx: CommandContext): void {
  const names = resolve(ctx).map((e) => ConfigStore.get(e.item, 'name') ?? '');
  remove(ctx);
  for (const n of names) certificateChanged(ctx.device, n, 'none');
  countChange(ctx.device);
}

function setService(ctx: CommandContext): void {
  const cert = ctx.args.get('certificate');
  if (cert !== undefined && cert !== 'none' && !findCertificate(ctx.device, cert)) throw noMatch('certificate');
  set(ctx);
  countChange(ctx.device);
}

export const certificateCommands: Record<string, Record<string, Handler>> = {
  [CERTIFICATE_MENU]: { import: importCommand, set: setCertificate, remove: removeCertificate },
  '/ip/service': { set: setService },
};
