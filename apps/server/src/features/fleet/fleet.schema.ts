import { z } from 'zod';

const ranked = z.object({ id: z.string(), name: z.string(), status: z.string(), value: z.number() });
export const summaryOut = z.object({
  counts: z.object({
    total: z.number(),
    online: z.number(),
    offline: z.number(),
    degraded: z.number(),
    unknown: z.number(),
    disabled: z.number(),
  }),
  top_cpu: z.array(ranked),
  top_memory: z.array(ranked),
  top_disk: z.array(ranked),
  recent_offline: z.array(
    z.object({ id: z.string(), name: z.string(), status_since: z.string(), status_reason: z.string().nullable() }),
  ),
  versions: z.array(z.object({ version: z.string(), count: z.number() })),
  models: z.array(z.object({ model: z.string(), count: z.number() })),
  updates_available: z.number(),
});
export type FleetSummary = z.infer<typeof summaryOut>;
