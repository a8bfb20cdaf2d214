import type { Mailer } from '../../../platform/mail/mailer.js';
import { slackBody, teamsBody } from './chat.js';
import { alertEmail } from './email.js';
import { postJson } from './http.js';
import { webhookBody } from './payload.js';
import { SIGNATURE_HEADER, signatureHeader } from './sign.js';
import { sendEmail } from './smtp.js';
import { renderMessage } from './template.js';
import type { AlertNotice, ChannelTarget, DeliveryOutcome } from './types.js';

// Sends one notification to one channel, once. Retrying, backoff and de-duplication belong to the delivery
// outbox; this answers whether another try could help.

export type DeliverDeps = {
  /** TOD's own SMTP, for email channels without a server of their own (undefined when SMTP_HOST is unset). */
  systemMailer?: Mailer;
  /** SMTP_FROM_ADDRESS, the sender of email channels that name none. */
  systemFrom?: string;
  /** Default `TOD-Alerts/1`. */
  userAgent?: string;
  /** For the whole HTTP request, and each SMTP step. Default 10 s. */
  timeoutMs?: number;
  now?: () => Date;
  /** Checks a webhook host against the deny list and answers the address to connect to (see http.ts). */
  resolveHost?: (host: string, port: number) => Promise<string>;
};

export const DEFAULT_TIMEOUT_MS = 10_000;
export const USER_AGENT = 'TOD-Alerts/1';

export async function deliver(target: ChannelTarget, notice: AlertNotice, deps: DeliverDeps): Promise<DeliveryOutcome> {
  const now = deps.now?.() ?? new Date();
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const message = renderMessage(target.template, notice, now);
  if (target.kind === 'email')
    return sendEmail(target, alertEmail(notice, message, now), {
      systemMailer: deps.systemMailer,
      systemFrom: deps.systemFrom,
      timeoutMs,
    });

  const json =
    target.kind === 'webhook'
      ? webhookBody(notice, message)
      : target.kind === 'slack'
        ? slackBody(notice, message, now)
        : teamsBody(notice, message, now);
  const body = Buffer.from(JSON.stringify(json), 'utf8');
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'User-Agent': deps.userAgent ?? USER_AGENT,
    'X-TOD-Delivery': notice.deliveryId,
    'X-TOD-Event': notice.event,
  };
  // Signed over the very bytes sent, at send time: a retry carries a fresh timestamp.
  if (target.kind === 'webhook')
    headers[SIGNATURE_HEADER] = signatureHeader(target.secret, Math.floor(now.getTime() / 1000), body);
  return postJson({ url: target.url, body, headers, timeoutMs, resolveHost: deps.resolveHost });
}
