import { openDetails } from '../../src/features/audit/audit.seal.js';
import { useByWorker } from '../../src/platform/kms/key-use.js';
import type { TestContext } from '../helpers/context.js';

// Tests that read audit_logs with SQL see a tenant entry's details sealed (migration 065): select
// `tenant_id, entry_id, details, details_sealed` too and pass the rows through this: `details` comes back opened,
// and `details_sealed` and `entry_id` are left out (so `toEqual` on the other columns still works).

type SealedRow = { tenant_id: string | null; entry_id: string | null; details: unknown; details_sealed: Buffer | null };
type Opened<T> = Omit<T, 'details' | 'details_sealed' | 'entry_id'> & { details: Record<string, unknown> };

export function openAuditRows<T extends SealedRow>(
  ctx: Pick<TestContext, 'services'>,
  rows: T[],
): Promise<Opened<T>[]> {
  const use = useByWorker('test', 'audit.read');
  return Promise.all(
    rows.map(async (row) => {
      const { details_sealed: _s, entry_id: _e, ...rest } = row;
      return { ...rest, details: await openDetails(ctx.services.envelope, row, use) } as Opened<T>;
    }),
  );
}
