import { useInfiniteQuery } from '@tanstack/react-query';
import { DatabaseBackup } from 'lucide-react';
import { useState } from 'react';
import { type ConfigVersion, versionsQuery } from '@/api/config-backups';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { DeviceOperation } from '../changes/operation-panel';
import { EmergencyRollback, RestoreButton } from '../changes/restore-dialog';
import type { DeviceTabProps } from '../feature';
import { BackupButtons, JobProgress } from './backup-actions';
import { DiffViewer, type Pair } from './diff-viewer';
import { DeviceSchedule } from './schedule';
import { Timeline } from './timeline';

/** The default comparison: the latest version against the one before it. */
const latestPair = (vs: ConfigVersion[]): Pair | null =>
  vs.length >= 2 ? { from: (vs[1] as ConfigVersion).id, to: (vs[0] as ConfigVersion).id } : null;

/** The device tab: versions as time ranges, back up now and checkpoints, the comparison, the schedule. */
export default function BackupsTab({ tenantId, deviceId, device }: DeviceTabProps) {
  const q = useInfiniteQuery(versionsQuery(tenantId, deviceId));
  const versions = q.data?.pages.flatMap((p) => p.items) ?? [];
  const policies = q.data?.pages[0]?.policies;
  const [chosen, setChosen] = useState<Pair | null>(null);
  const pair = chosen ?? latestPair(versions);
  const ref = { tenantId, deviceId };
  // Restores and the emergency rollback go through the safe-changes engine (features/changes).
  const canRestore = useCan('changes.apply');
  return (
    <div className="grid gap-4">
      <DeviceOperation {...ref} />
      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_320px]">
        <Card>
          <CardHeader
            title="Configuration versions"
            description="Each distinct configuration, from when it was first seen until it was last found unchanged."
            actions={
              policies?.backup || canRestore ? (
                <div className="flex gap-2">
                  {policies?.backup ? <BackupButtons {...ref} /> : null}
                  {canRestore ? <EmergencyRollback {...ref} /> : null}
                </div>
              ) : null
            }
          />
          <JobProgress {...ref} />
          {q.isPending ? (
            <TableSkeleton rows={3} cols={3} />
          ) : q.error ? (
            <p className="p-4 text-[13px] text-destructive" role="alert">
              Could not load the backups: {q.error.message}
            </p>
          ) : versions.length === 0 ? (
            <EmptyState icon={DatabaseBackup} title="No backups yet">
              {policies?.backup
                ? 'Back up now to store the first version, or wait for the schedule.'
                : 'The first version appears after the next scheduled backup.'}
            </EmptyState>
          ) : (
            <Timeline
              tenantId={tenantId}
              deviceId={deviceId}
              deviceName={device.name ?? 'device'}
              versions={versions}
              policies={policies ?? { backup: false, secrets: false, schedule: false }}
              pair={pair}
              onCompare={setChosen}
              restore={canRestore ? (v) => <RestoreButton {...ref} version={v} /> : undefined}
            />
          )}
          {q.hasNextPage ? (
            <div className="border-t p-2 text-center">
              <Button variant="ghost" size="sm" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
                Load older versions
              </Button>
            </div>
          ) : null}
        </Card>
        <DeviceSchedule tenantId={tenantId} deviceId={deviceId} canEdit={policies?.schedule === true} />
      </div>
      {pair ? (
        <DiffViewer tenantId={tenantId} deviceId={deviceId} versions={versions} pair={pair} onPair={setChosen} />
      ) : null}
    </div>
  );
}
