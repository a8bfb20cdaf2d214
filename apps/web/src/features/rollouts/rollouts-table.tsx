import type { ReactNode } from 'react';
import type { Rollout } from '@/api/rollouts';
import { Badge } from '@/components/ui/badge';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago, dateTime } from '@/lib/format';
import { Progress } from './progress';
import { kindLabel, pauseReasonLabel, statusLabel, statusTone } from './words';

// Rollouts as rows (name, kind, status with the pause reason, progress, when, who): the Rollouts page and the
// pages of features that start them (bulk commands' recent runs) list them alike, each linking where it wants.

export function RolloutsTable(props: {
  rows: Rollout[];
  /** The first column's title ("Name", "Commands"). */
  nameTitle: string;
  /** The first cell: usually a link to the rollout's page. */
  name: (r: Rollout) => ReactNode;
  /** Attributes of each row, for tests and styling (`{ 'data-run': id }`). */
  rowData: (r: Rollout) => Record<`data-${string}`, string>;
}) {
  return (
    <Table>
      <THead>
        <tr>
          <Th>{props.nameTitle}</Th>
          <Th>Kind</Th>
          <Th>Status</Th>
          <Th className="w-56">Progress</Th>
          <Th>Started</Th>
          <Th>Requested by</Th>
        </tr>
      </THead>
      <TBody>
        {props.rows.map((r) => (
          <tr key={r.id} {...props.rowData(r)} data-status={r.status}>
            <Td>{props.name(r)}</Td>
            <Td className="text-muted-foreground">{kindLabel(r.kind)}</Td>
            <Td>
              <span className="flex flex-wrap items-center gap-1.5">
                <Badge tone={statusTone[r.status]}>{statusLabel[r.status]}</Badge>
                {r.status === 'paused' && r.pause_reason ? (
                  <span className="text-xs text-muted-foreground" data-pause-reason={r.pause_reason}>
                    {pauseReasonLabel[r.pause_reason] ?? r.pause_reason}
                  </span>
                ) : null}
              </span>
            </Td>
            <Td>
              <Progress counts={r.counts} total={r.device_count} />
            </Td>
            <Td className="whitespace-nowrap text-muted-foreground tabular-nums">
              {r.started_at ? (
                <time dateTime={r.started_at} title={dateTime(r.started_at)}>
                  {ago(r.started_at)}
                </time>
              ) : r.status === 'scheduled' && r.scheduled_at ? (
                `scheduled for ${dateTime(r.scheduled_at)}`
              ) : (
                '—'
              )}
            </Td>
            <Td className="text-muted-foreground">{r.requested_by ?? '—'}</Td>
          </tr>
        ))}
      </TBody>
    </Table>
  );
}
