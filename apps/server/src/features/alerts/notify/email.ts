import type { Mail } from '../../../platform/mail/mailer.js';
import { headlineOf } from './chat.js';
import { clip } from './format.js';
import { factsOf } from './payload.js';
import type { AlertNotice } from './types.js';

// The alert email: the rendered message as the subject's first line and the body's first paragraph, then the
// facts and the link. Every operator-typed text is escaped in the HTML part.

export type AlertMail = Omit<Mail, 'to'> & { html: string };

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** One line, no control characters, bounded: a subject is a header. */
function subjectLine(message: string, fallback: string): string {
  const first = message.split(/\r?\n/).find((l) => l.trim() !== '') ?? fallback;
  const line = first.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clip(line, 200);
}

export function alertEmail(n: AlertNotice, message: string, now: Date = new Date()): AlertMail {
  const facts = factsOf(n, now);
  const text = [message, '', ...facts.map((f) => `${f.title}: ${f.value}`), '', `Open in TOD: ${n.url}`].join('\n');
  const rows = facts
    .map((f) => `<tr><th align="left">${escapeHtml(f.title)}</th><td>${escapeHtml(f.value)}</td></tr>`)
    .join('\n');
  const html = `<p>${escapeHtml(message).replace(/\r?\n/g, '<br>')}</p>
<table cellpadding="4">
${rows}
</table>
<p><a href="${escapeHtml(n.url)}">Open in TOD</a></p>`;
  return { subject: subjectLine(message, headlineOf(n)), text, html };
}
