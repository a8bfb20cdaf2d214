import { z } from 'zod';
import { nullableTimestamp, timestamp } from '../../platform/http/schemas.js';

export const graphQuery = z.strictObject({
  site_id: z.uuid().optional(),
  group_id: z.uuid().optional(),
  tag_id: z.uuid().optional(),
});
export type GraphQuery = z.infer<typeof graphQuery>;

export const edgeStates = ['up', 'down', 'stale'] as const;

const evidence = z.object({
  protocol: z
    .string()
    .describe('mndp, cdp, lldp (neighbour discovery), neighbor (an old router that does not say which) or wireless'),
  source_interface: z.string().nullable(),
  target_interface: z.string().nullable(),
  last_seen: timestamp,
  /** When the sighting stopped; null while current. */
  gone_at: nullableTimestamp,
});

export const graphNode = z.object({
  id: z.string().describe('The device id for a managed device; u:<MAC> for a neighbour TOD does not manage'),
  device_id: z.uuid().optional(),
  label: z.string(),
  status: z.string(),
  managed: z.boolean(),
  site_id: z.uuid().nullable(),
  /** A neighbour of the asked site that belongs elsewhere. */
  external: z.boolean(),
  /** Hops from the core of its part of the network; null when not connected. */
  depth: z.number().int().nullable(),
  /** What the neighbours say about an unmanaged node (and what adopting it starts from). */
  mac: z.string().nullable().optional(),
  address: z.string().nullable().optional(),
  identity: z.string().nullable().optional(),
  platform: z.string().nullable().optional(),
  board: z.string().nullable().optional(),
  version: z.string().nullable().optional(),
  model: z.string().nullable().optional(),
});

export const graphEdge = z.object({
  id: z.string(),
  source: z.string(),
  target: z.string(),
  evidence: z.array(evidence),
  state: z.enum(edgeStates),
  down_since: nullableTimestamp,
  last_seen: timestamp,
  /** Wireless where a registration proves the link; wired otherwise. */
  kind: z.enum(['wired', 'wireless']),
});

export const graph = z.object({
  nodes: z.array(graphNode),
  edges: z.array(graphEdge),
  /** The core device of each part of the network that has one (named by the organisation or inferred). */
  cores: z.array(z.object({ device_id: z.uuid(), named: z.boolean() })),
  policies: z.object({ set_core: z.boolean() }),
});

export const upstream = z.object({
  device_id: z.uuid(),
  core: z.object({ device_id: z.uuid(), named: z.boolean() }).nullable(),
  /** Core first, the device last; each hop with the link it is reached over. */
  path: z.array(
    z.object({
      node_id: z.string(),
      device_id: z.uuid().nullable(),
      label: z.string(),
      status: z.string(),
      edge_id: z.string().nullable(),
      edge_state: z.enum(edgeStates).nullable(),
    }),
  ),
  hops: z.number().int().nullable(),
  /** Reached only over links that are down now. */
  via_down: z.boolean(),
});

export const coresBody = z.strictObject({ device_ids: z.array(z.uuid()).max(100) });
export const coresResult = z.object({ device_ids: z.array(z.uuid()) });
