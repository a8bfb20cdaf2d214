import { useQuery } from '@tanstack/react-query';
import { CalendarClock, Plus } from 'lucide-react';
import { useState } from 'react';
import { deleteSchedule, type ReportSchedule, schedulesQuery } from '@/api/reports';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { ScheduleDialog } from './schedule-dialog';
import { kindText, periodLabel } from './words';

/** Reports rendered on a cron expression and emailed. Operators read them; admins write them (`policies`). */
export function SchedulesCard(props: { tenantId: string; canWrite: boolean }) {
  const list = useQuery(schedulesQuery(props.tenantId));
  const [editing, setEditing] = useState<ReportSchedule | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<ReportSchedule | null>(null);
  const remove = useApiMutation(deleteSchedule, { success: (_r, v) => `${v.schedule.name} deleted` });
  const items = list.data?.items ?? [];
  const newButton = (label: string) =>
    props.canWrite ? (
      <Button size="sm" onClick={() => setCreating(true)}>
        <Plus aria-hidden /> {label}
      </Button>
    ) : null;

  return (
    <Card aria-label="Schedules">
      <CardHeader
        title="Schedules"
        description="Reports rendered on a schedule and emailed to their recipients."
        actions={items.length > 0 ? newButton('New schedule') : null}
      />
      {list.isPending ? (
        <TableSkeleton cols={6} />
      ) : list.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the schedules: {list.error.message}
        </p>
      ) : items.length === 0 ? (
        <EmptyState icon={CalendarClock} title="No schedules" action={newButton('New schedule')}>
          {props.canWrite
            ? 'A schedule renders a report each day, week or month and emails it, to you or to a customer.'
            : 'Admins schedule reports to be emailed each day, week or month; they show here.'}
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Runs</Th>
              <Th>Covers</Th>
              <Th>Recipients</Th>
              <Th>Next run</Th>
              {props.canWrite ? (
                <Th className="w-32">
                  <span className="sr-only">Actions</span>
                </Th>
              ) : null}
            </tr>
          </THead>
          <TBody>
            {items.map((s) => (
              <tr key={s.id} data-schedule={s.name}>
                <Td>
                  <span className="font-medium">{s.name}</span>{' '}
                  <span className="text-xs text-muted-foreground uppercase">{s.format}</span>
                  {s.enabled ? null : (
                    <Badge className="ml-2" data-disabled>
                      Disabled
                    </Badge>
                  )}
                </Td>
                <Td className="whitespace-nowrap" data-cron>
                  <code className="rounded bg-muted px-1.5 py-0.5 font-mono text-xs">{s.cron}</code>{' '}
                  <span className="text-xs text-muted-foreground">{s.timezone}</span>
                </Td>
                <Td className="text-muted-foreground">
                  {kindText(s.kind)} · {periodLabel[s.params.period].toLowerCase()}
                </Td>
                <Td className="max-w-56 truncate text-muted-foreground" title={s.recipients.join(', ')} data-recipients>
                  {s.recipients.length === 0 ? 'Nobody (kept in the list)' : s.recipients.join(', ')}
                </Td>
                <Td className="whitespace-nowrap text-muted-foreground tabular-nums" data-next>
                  {s.enabled ? dateTime(s.next_run_at) : '—'}
                </Td>
                {props.canWrite ? (
                  <Td className="text-right whitespace-nowrap">
                    {s.policies.update ? (
                      <Button size="sm" variant="ghost" aria-label={`Edit ${s.name}`} onClick={() => setEditing(s)}>
                        Edit
                      </Button>
                    ) : null}
                    {s.policies.delete ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-destructive hover:text-destructive"
                        aria-label={`Delete ${s.name}`}
                        onClick={() => setDeleting(s)}
                      >
                        Delete
                      </Button>
                    ) : null}
                  </Td>
                ) : null}
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {props.canWrite ? (
        <ScheduleDialog
          tenantId={props.tenantId}
          open={creating || editing !== null}
          schedule={editing}
          onOpenChange={(o) => {
            if (!o) {
              setCreating(false);
              setEditing(null);
            }
          }}
        />
      ) : null}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
        description="It stops running. The reports it made stay in the list."
        confirm="Delete schedule"
        busy={remove.isPending}
        onConfirm={() =>
          deleting &&
          remove.mutate({ tenantId: props.tenantId, schedule: deleting }, { onSettled: () => setDeleting(null) })
        }
      />
    </Card>
  );
}
