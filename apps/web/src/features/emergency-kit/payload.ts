// What the kit's QR code carries, and how a scanned or typed text is read back.
// Payload: `tod-kit:1?u=<sign-in address>&e=<email>&k=<Secret Key>` (URLSearchParams encoding; version 1).

import { formatSecretKey, parseSecretKey } from '@tod/srp';

export const KIT_QR_PREFIX = 'tod-kit:1?';

export interface KitDetails {
  signInAddress: string;
  email: string;
  secretKey: string;
}

/** What a scan or paste gave: a bare Secret Key has no address or email, so those are null. */
export interface KitQrContent {
  signInAddress: string | null;
  email: string | null;
  secretKey: string;
}

/** A Secret Key text in its canonical form `A3-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX`, or null when it is not one. */
export function canonicalSecretKey(text: string): string | null {
  try {
    return formatSecretKey(parseSecretKey(text));
  } catch {
    return null;
  }
}

export function kitQrPayload(d: KitDetails): string {
  return KIT_QR_PREFIX + new URLSearchParams({ u: d.signInAddress, e: d.email, k: d.secretKey }).toString();
}

/** Reads a kit QR payload, or a bare Secret Key (typed, pasted, or a QR of just the key). Null otherwise. */
export function parseKitQrPayload(text: string): KitQrContent | null {
  const t = text.trim();
  if (t.startsWith(KIT_QR_PREFIX)) {
    const p = new URLSearchParams(t.slice(KIT_QR_PREFIX.length));
    const k = canonicalSecretKey(p.get('k') ?? '');
    const u = p.get('u')?.trim();
    const e = p.get('e')?.trim();
    if (!k || !u || !e) return null;
    return { signInAddress: u, email: e, secretKey: k };
  }
  // Long texts are never a key; the bound keeps the regex work trivial on pasted junk.
  if (t.length > 64) return null;
  const k = canonicalSecretKey(t);
  return k ? { signInAddress: null, email: null, secretKey: k } : null;
}

/** `TOD-Emergency-Kit-<email>.pdf`, keeping only characters every file system accepts. */
export function kitFileName(email: string): string {
  const safe = email
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._@+-]+/g, '_')
    .replace(/^[._]+|[._]+$/g, '')
    .slice(0, 100);
  return `TOD-Emergency-Kit-${safe || 'account'}.pdf`;
}
