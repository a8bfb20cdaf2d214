import { z } from 'zod';
import { nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { severities } from './alerts.schema.js';

export const channelKinds = ['email', 'webhook', 'slack', 'teams'] as const;
export const channelParams = z.strictObject({ tenant_id: z.uuid(), channel_id: z.uuid() });

const httpUrl = z
  .url({ protocol: /^https?$/ })
  .max(2048)
  .describe('write-only: the API shows only its scheme and host');
const urlConfig = z.strictObject({ url: httpUrl });
const emailConfig = z.strictObject({
  to: z.array(z.email().max(320)).min(1).max(50),
  host: z.string().trim().min(1).max(253).optional().describe('absent: the system SMTP (SMTP_* settings)'),
  port: z.number().int().min(1).max(65535).optional(),
  username: z.string().max(320).optional(),
  password: z.string().max(1024).optional().describe('write-only'),
  use_tls: z.boolean().optional().describe('TLS from the first byte (port 465); otherwise STARTTLS when offered'),
  from: z.email().max(320).optional(),
});
export type EmailConfig = z.infer<typeof emailConfig>;
export type UrlConfig = z.infer<typeof urlConfig>;

const common = {
  name: z.string().trim().min(1).max(120),
  severities: z.array(z.enum(severities)).min(1).max(3),
  template: z
    .string()
    .max(4096)
    .nullable()
    .describe(
      'the message, with {{device.name}}, {{rule.name}}, {{value}}, {{threshold}}, {{severity}}, {{status}}…; null = the default',
    ),
  enabled: z.boolean(),
};

export const channelCreate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('webhook'), config: urlConfig, ...common }),
  z.strictObject({ kind: z.literal('slack'), config: urlConfig, ...common }),
  z.strictObject({ kind: z.literal('teams'), config: urlConfig, ...common }),
  z.strictObject({ kind: z.literal('email'), config: emailConfig, ...common }),
]);
export type ChannelCreate = z.input<typeof channelCreate>;

export const channelUpdate = z.strictObject({
  name: common.name.optional(),
  severities: common.severities.optional(),
  template: common.template.optional(),
  enabled: common.enabled.optional(),
  config: z
    .union([urlConfig, emailConfig.partial()])
    .optional()
    .describe('replaces the configuration; an email channel keeps its password when none is given'),
  rotate_secret: z.boolean().optional().describe('webhook: a new signing secret, answered once as `secret`'),
});
export type ChannelUpdate = z.infer<typeof channelUpdate>;

export const channelItem = z.object({
  id: z.uuid(),
  name: z.string(),
  kind: z.enum(channelKinds),
  config: z
    .record(z.string(), z.unknown())
    .describe('what is safe to show: recipients and SMTP host for email, the URL host for the others; never secrets'),
  severities: z.array(z.enum(severities)),
  template: z.string().nullable(),
  enabled: z.boolean(),
  last_sent_at: nullableTimestamp,
  last_error: z.string().nullable(),
  failed_24h: z.number().int(),
  created_at: timestamp,
  updated_at: timestamp,
  policies: z.object({ update: z.boolean(), delete: z.boolean(), test: z.boolean() }),
});
export type ChannelItem = z.infer<typeof channelItem>;
export const channelCreated = channelItem.extend({
  secret: z.string().nullable().describe('webhook: the signing secret, shown this once'),
});
export const channelsList = z.object({ items: z.array(channelItem) });
export const testResult = z.object({
  ok: z.boolean(),
  status: z.number().int().nullable().describe('the receiver’s HTTP status, when there was one'),
  error: z.string().nullable().describe('why it failed: a short code such as http_500, timeout, smtp_auth'),
});

export const templateHelp = z.object({
  variables: z.array(z.object({ name: z.string(), description: z.string() })),
  defaults: z
    .object({ firing: z.string(), resolved: z.string(), acknowledged: z.string() })
    .describe('the message a channel without a template sends'),
  max_bytes: z.number().int(),
});
