import type { ChannelKind, ChannelSeverity, ChannelTest } from '@/api/notification-channels';

export const kindLabel: Record<ChannelKind, string> = {
  email: 'Email',
  webhook: 'Webhook',
  slack: 'Slack',
  teams: 'Microsoft Teams',
};

export const severityLabel: Record<ChannelSeverity, string> = {
  critical: 'Critical',
  warning: 'Warning',
  info: 'Info',
};
export const severityOrder: readonly ChannelSeverity[] = ['critical', 'warning', 'info'];

// The server's delivery reasons (apps/server/src/features/alerts/notify: http.ts, smtp.ts) in words.
const reasons: Record<string, string> = {
  timeout: 'the receiver did not answer in time',
  connection_refused: 'the connection was refused',
  connection_reset: 'the connection was dropped',
  dns: 'the host name could not be resolved',
  unreachable: 'the host is unreachable',
  tls_error: 'the TLS handshake failed (certificate?)',
  network_error: 'a network error',
  redirect_refused: 'the receiver answered with a redirect, which TOD does not follow',
  target_denied: 'this address is not allowed as a notification target',
  invalid_url: 'the URL is not valid',
  smtp_auth_failed: 'the mail server refused the username or password',
  smtp_envelope: 'the mail server refused the sender or recipients',
  smtp_error: 'the mail server failed',
  email_not_configured: 'no mail server: give one here or set TOD’s SMTP settings',
  no_recipients: 'no recipients',
};

/** A delivery failure code (`http_500`, `timeout`, `smtp_550`…) as a sentence fragment, with the code kept. */
export function reasonText(code: string): string {
  const http = /^http_(\d{3})$/.exec(code);
  if (http) return `the receiver answered HTTP ${http[1]}`;
  const smtp = /^smtp_(\d{3})$/.exec(code);
  if (smtp) return `the mail server answered ${smtp[1]}`;
  return reasons[code] ?? code.replaceAll('_', ' ');
}

/** What a test notification's result says. */
export function testText(r: ChannelTest): string {
  if (r.ok) return r.status ? `Test delivered (HTTP ${r.status})` : 'Test delivered';
  return `Test failed: ${reasonText(r.error ?? 'network_error')}`;
}
