import { z } from 'zod';
import { listCursor, TIME_KEY } from '../../platform/http/cursor.js';
import { listQuery, nullableTimestamp, page, timestamp } from '../../platform/http/schemas.js';

export const deviceParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid() });
export const sessionParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid(), session_id: z.uuid() });
export const tunnelParams = z.strictObject({ tenant_id: z.uuid(), device_id: z.uuid(), tunnel_id: z.uuid() });

export const sshSessionOut = z.object({
  session_id: z.uuid(),
  /** Single use, valid 120 s: open `/ws/ssh?token=…` with it. */
  token: z.string(),
  expires_at: timestamp,
  /** The WebSocket path to open (same origin). */
  url: z.string(),
});

const address = z.union([z.ipv4(), z.ipv6()]);

export const winboxBody = z
  .strictObject({
    /** Who may connect to the tunnel; default: only the address this request came from. */
    allowed_addresses: z.array(address).min(1).max(10).optional(),
  })
  .default({});

export const winboxOut = z.object({
  tunnel_id: z.uuid(),
  host: z.string(),
  port: z.number().int(),
  uri: z.string(),
  allowed_addresses: z.array(z.string()),
  idle_timeout_seconds: z.number().int(),
  expires_at: timestamp,
});

/** What a session list cursor names as its sort (newest first). */
export const SESSIONS_CURSOR = 'remote_sessions';
export const sessionsQuery = z.strictObject({
  state: z.enum(['live', 'all']).default('all'),
  ...listQuery,
  cursor: listCursor(SESSIONS_CURSOR, TIME_KEY)
    .optional()
    .describe('next_cursor of the previous page (same state); replaces offset'),
});

export const sessionOut = z.object({
  id: z.uuid(),
  device_id: z.uuid(),
  kind: z.enum(['ssh', 'winbox']),
  state: z.enum(['pending', 'open', 'closed']),
  user_id: z.uuid().nullable(),
  actor_label: z.string(),
  client_ip: z.string().nullable(),
  /** WinBox: the tunnel's port, address and who may connect. */
  port: z.number().int().nullable(),
  uri: z.string().nullable(),
  allowed_addresses: z.array(z.string()).nullable(),
  created_at: timestamp,
  opened_at: nullableTimestamp,
  last_activity_at: nullableTimestamp,
  closed_at: nullableTimestamp,
  close_reason: z.string().nullable(),
  duration_seconds: z.number().int().nullable(),
  /** Bytes from the user to the router, and from the router to the user. */
  bytes_in: z.number().int(),
  bytes_out: z.number().int(),
  idle_timeout_seconds: z.number().int(),
  max_lifetime_seconds: z.number().int(),
  has_transcript: z.boolean(),
  policies: z.object({ end: z.boolean(), read_transcript: z.boolean() }),
});
export const sessionsPage = page(sessionOut).extend({
  /** False when the count stopped at 10,000: the total is then a lower bound. */
  total_exact: z.boolean(),
  /** Where the next page starts (`cursor=`, same state), null on the last page. */
  next_cursor: z.string().nullable(),
});

export const transcriptOut = z.object({
  session_id: z.uuid(),
  /** What the router sent to the terminal (the user's keystrokes appear as the router echoed them). */
  text: z.string(),
  truncated: z.boolean(),
});

export const settingsBody = z.strictObject({
  idle_timeout_seconds: z.number().int().min(10).max(86_400).optional(),
  max_lifetime_seconds: z.number().int().min(60).max(604_800).optional(),
  record_transcripts: z.boolean().optional(),
});

export const settingsOut = z.object({
  idle_timeout_seconds: z.number().int(),
  max_lifetime_seconds: z.number().int(),
  record_transcripts: z.boolean(),
});

export type SessionsQuery = z.infer<typeof sessionsQuery>;
export type SettingsBody = z.infer<typeof settingsBody>;
export type Settings = z.infer<typeof settingsOut>;
export type WinboxBody = z.infer<typeof winboxBody>;
