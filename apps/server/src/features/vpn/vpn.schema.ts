import { z } from 'zod';
import { listQuery, nullableTimestamp, timestamp } from '../../platform/http/schemas.js';
import { modes } from '../changes/changes.schema.js';
import { deviceCreateBody, host } from '../devices/devices.schema.js';

// RouterOS interface names: printable, no quotes or slashes (they would need escaping in every command shown).
const routerInterface = z
  .string()
  .trim()
  .min(1)
  .max(63)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-"');

export const hubBody = z
  .strictObject({
    endpoint_host: host
      .nullable()
      .optional()
      .describe("the public host routers dial for this organisation; null: the server's WIREGUARD_ENDPOINT"),
    keepalive_seconds: z.number().int().min(0).max(3600).optional().describe("the routers' keepalive (0: off)"),
    router_interface: routerInterface.optional().describe('the WireGuard interface name on the routers'),
  })
  .describe('Creates the hub on first use (its key pair, port and address block), then changes its settings');

export const hubOut = z.object({
  configured: z.boolean().describe('false until the first PUT or peer: no key pair, port or block yet'),
  hub: z
    .object({
      interface: z.string().describe("the hub's interface on the hub host"),
      public_key: z.string(),
      listen_port: z.number().int(),
      network: z.string().describe("the organisation's address block"),
      hub_address: z.string().describe("TOD's address in the block: the only address a router may reach"),
      endpoint_host: z.string().nullable().describe('the host routers dial (null: none configured)'),
      endpoint_host_override: z.string().nullable(),
      keepalive_seconds: z.number().int(),
      router_interface: z.string(),
      created_at: timestamp,
      updated_at: timestamp,
    })
    .nullable(),
  peers_count: z.number().int(),
  connected_count: z.number().int().describe('peers with a handshake in the last 3 minutes'),
  status: z.object({
    applied_at: nullableTimestamp.describe('when the hub host last applied this configuration (null: not by TOD)'),
    apply_error: z.string().nullable(),
    status_at: nullableTimestamp.describe('when handshakes were last read from the hub'),
  }),
  onboarding: z.object({
    available: z.boolean(),
    reason: z.string().nullable().describe('why routers cannot be onboarded yet'),
  }),
  policies: z.object({ write: z.boolean() }),
});

export const peerOut = z.object({
  id: z.uuid(),
  device_id: z.uuid(),
  device_name: z.string(),
  address: z.string(),
  public_key: z.string(),
  preshared_key: z.boolean().describe('whether the tunnel also uses a preshared key (never shown)'),
  created_at: timestamp,
  status: z.object({
    connected: z.boolean().describe('a handshake in the last 3 minutes'),
    last_handshake_at: nullableTimestamp,
    rx_bytes: z.number().nullable().describe('bytes the hub received from the router'),
    tx_bytes: z.number().nullable(),
    endpoint: z.string().nullable().describe("the router's public address and port, as the hub last saw it"),
    status_at: nullableTimestamp,
  }),
});

export const peersQuery = z.strictObject({
  ...listQuery,
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const peerBody = z.strictObject({
  device_id: z.uuid(),
  preshared_key: z.boolean().default(true).describe('also protect the tunnel with a preshared key'),
  apply: z
    .boolean()
    .default(false)
    .describe('configure the router now, through the safe-change engine (TOD must reach it); else answer the commands'),
  mode: z.enum(modes).default('safe').describe('with apply: how the change is guarded'),
});

const created = {
  peer_id: z.uuid(),
  device_id: z.uuid(),
  address: z.string().describe("the router's tunnel address"),
  routeros_commands: z
    .array(z.string())
    .describe("RouterOS 7 terminal lines, with the router's private key: shown this once, never again"),
};
export const peerCreated = z.object({
  ...created,
  routeros_commands: created.routeros_commands.nullable().describe('null when applied through the engine'),
  operation_id: z.uuid().nullable().describe('the safe-change operation applying them (apply: true)'),
});

// The device fields of POST /devices, but the host is the router's tunnel address (TOD reaches it through the hub).
const { host: _host, ...deviceFields } = deviceCreateBody.shape;
export const onboardBody = z
  .strictObject({
    ...deviceFields,
    preshared_key: z.boolean().default(true).describe('also protect the tunnel with a preshared key'),
  })
  .refine(
    (b) =>
      b.credential_profile_id
        ? b.username === undefined && b.password === undefined
        : b.username !== undefined && b.password !== undefined,
    { message: 'give username and password, or credential_profile_id (not both)', path: ['credential_profile_id'] },
  );
export const onboarded = z.object(created);

export type HubBody = z.infer<typeof hubBody>;
export type PeerBody = z.infer<typeof peerBody>;
export type OnboardBody = z.infer<typeof onboardBody>;
export type HubOut = z.infer<typeof hubOut>;
export type PeerOut = z.infer<typeof peerOut>;
