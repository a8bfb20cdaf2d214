import type { Mail } from '../../platform/mail/mailer.js';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The "forgot password" message. The link carries the token in its fragment, so it never reaches a server log. */
export function resetMail(o: {
  to: string;
  name: string;
  link: string;
  minutes: number;
  ip: string | null;
  appName: string;
}): Mail {
  const from = o.ip ? ` from ${o.ip}` : '';
  const text = [
    `Hello ${o.name},`,
    '',
    `Someone${from} asked to reset the password of your ${o.appName} account (${o.to}).`,
    `To choose a new password and a new Secret Key, open this link within ${o.minutes} minutes. It works once:`,
    '',
    o.link,
    '',
    'If that was not you, ignore this message: nothing changes until the link is used.',
    'After the reset, print the new Emergency Kit: the old one stops working.',
  ].join('\n');
  const html = `<p>Hello ${escapeHtml(o.name)},</p>
<p>Someone${escapeHtml(from)} asked to reset the password of your ${escapeHtml(o.appName)} account (${escapeHtml(o.to)}).</p>
<p>To choose a new password and a new Secret Key, open this link within ${o.minutes} minutes. It works once:</p>
<p><a href="${escapeHtml(o.link)}">Reset my password</a></p>
<p>If that was not you, ignore this message: nothing changes until the link is used.<br>
After the reset, print the new Emergency Kit: the old one stops working.</p>`;
  return { to: o.to, subject: `Reset your ${o.appName} password`, text, html };
}
