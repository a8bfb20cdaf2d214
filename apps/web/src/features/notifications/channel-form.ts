import type { Channel, ChannelChange, ChannelKind, ChannelSeverity, NewChannel } from '@/api/notification-channels';

// The channel dialog's values and the request bodies made from them. Secrets are write-only: the form starts with
// an empty URL and password when editing, and an empty one leaves the stored one as it is.

export type ChannelForm = {
  name: string;
  kind: ChannelKind;
  severities: ChannelSeverity[];
  enabled: boolean;
  /** Empty: the default message. */
  template: string;
  url: string;
  /** Recipients, separated by commas, spaces or lines. */
  to: string;
  /** Email through the channel's own SMTP server rather than TOD's (the SMTP_* settings). */
  ownSmtp: boolean;
  host: string;
  port: string;
  username: string;
  password: string;
  useTls: boolean;
  from: string;
};

const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function initialForm(c: Channel | null): ChannelForm {
  const cfg = c?.config ?? {};
  return {
    name: c?.name ?? '',
    kind: c?.kind ?? 'webhook',
    severities: c?.severities ?? ['critical', 'warning', 'info'],
    enabled: c?.enabled ?? true,
    template: c?.template ?? '',
    url: '',
    to: Array.isArray(cfg.to) ? cfg.to.map(text).join(', ') : '',
    ownSmtp: c ? typeof cfg.host === 'string' && cfg.host !== '' : false,
    host: text(cfg.host),
    port: text(cfg.port),
    username: text(cfg.username),
    password: '',
    useTls: cfg.use_tls === true,
    from: text(cfg.from),
  };
}

const recipients = (s: string) => s.split(/[\s,;]+/).filter(Boolean);

function emailConfig(f: ChannelForm) {
  const own = f.ownSmtp && f.host.trim() !== '';
  return {
    to: recipients(f.to),
    ...(own
      ? {
          host: f.host.trim(),
          ...(f.port.trim() ? { port: Number(f.port.trim()) } : {}),
          ...(f.username.trim() ? { username: f.username.trim() } : {}),
          ...(f.password ? { password: f.password } : {}),
          use_tls: f.useTls,
          ...(f.from.trim() ? { from: f.from.trim() } : {}),
        }
      : {}),
  };
}

const common = (f: ChannelForm) => ({
  name: f.name.trim(),
  severities: f.severities,
  template: f.template.trim() ? f.template : null,
  enabled: f.enabled,
});

export function newChannelBody(f: ChannelForm): NewChannel {
  if (f.kind === 'email') return { kind: 'email', config: emailConfig(f), ...common(f) };
  return { kind: f.kind, config: { url: f.url.trim() }, ...common(f) };
}

/** An email channel's configuration is sent whole (the password kept when none is typed); a URL only when retyped. */
export function channelChangeBody(f: ChannelForm): ChannelChange {
  if (f.kind === 'email') return { ...common(f), config: emailConfig(f) };
  return { ...common(f), ...(f.url.trim() ? { config: { url: f.url.trim() } } : {}) };
}

/** Where a channel sends, as far as the server shows it: the URL's host, or the recipients and mail server. */
export function destinationOf(c: Channel): string {
  const cfg = c.config;
  if (c.kind !== 'email') return text(cfg.url_host) || '—';
  const to = Array.isArray(cfg.to) ? cfg.to.map(text).join(', ') : '';
  const via = typeof cfg.host === 'string' && cfg.host ? `via ${cfg.host}` : 'via TOD’s mail server';
  return `${to} ${via}`.trim();
}
