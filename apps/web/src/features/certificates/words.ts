import type { CertificateState, KeyType } from '@/api/certificates';

// How certificates are put into words: their states (with the colour of their badge) and the CA's key types.

type Tone = 'neutral' | 'info' | 'warning' | 'success' | 'danger';

export const certificateStates: CertificateState[] = [
  'pending',
  'deploying',
  'deployed',
  'expiring',
  'expired',
  'failed',
  'superseded',
  'revoked',
];

export const stateLabel: Record<CertificateState, string> = {
  pending: 'Pending',
  deploying: 'Deploying',
  deployed: 'Deployed',
  expiring: 'Expiring soon',
  expired: 'Expired',
  failed: 'Failed',
  superseded: 'Superseded',
  revoked: 'Revoked',
};

export const stateTone: Record<CertificateState, Tone> = {
  pending: 'neutral',
  deploying: 'info',
  deployed: 'success',
  expiring: 'warning',
  expired: 'danger',
  failed: 'danger',
  superseded: 'neutral',
  revoked: 'danger',
};

/** What each state means, as the badge's title. */
export const stateHelp: Record<CertificateState, string> = {
  pending: 'Signed; the change that puts it on the router has not started yet.',
  deploying: 'Being installed on the router’s api-ssl as a safe change, then proven by a verified connection.',
  deployed: 'On the router’s api-ssl: TOD verifies every connection against the organisation’s CA.',
  expiring: 'Deployed, and ends soon: TOD rotates it by itself before it does.',
  expired: 'Deployed, but past its end date: rotate it.',
  failed: 'Not deployed: the router kept its previous certificate.',
  superseded: 'Replaced on the router by a newer certificate.',
  revoked:
    'No longer accepted as verified; TOD trusts the router by its exact certificate until a new one is deployed.',
};

export const keyTypes: { value: KeyType; label: string; help: string }[] = [
  {
    value: 'ecdsa-p256',
    label: 'ECDSA P-256 (recommended)',
    help: 'Small keys and fast handshakes: the default.',
  },
  {
    value: 'rsa-2048',
    label: 'RSA 2048',
    help: 'For routers or other tools that cannot use ECDSA.',
  },
];

export const keyTypeLabel: Record<KeyType, string> = { 'ecdsa-p256': 'ECDSA P-256', 'rsa-2048': 'RSA 2048' };

export const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const DAY = 86_400_000;

/** When a certificate ends, relative to now in days, months or years ("in 2 years", "3 days ago"). */
export function endsIn(iso: string, now = Date.now()): string {
  const days = Math.round((new Date(iso).getTime() - now) / DAY);
  const abs = Math.abs(days);
  if (abs < 60) return rtf.format(days, 'day');
  if (abs < 730) return rtf.format(Math.round(days / 30), 'month');
  return rtf.format(Math.round(days / 365), 'year');
}
