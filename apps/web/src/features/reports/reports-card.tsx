import { Download, FileChartColumn } from 'lucide-react';
import { useState } from 'react';
import { deleteReport, REPORTS_SHOWN, type Report, reportFileUrl } from '@/api/reports';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { headline, kindText, periodText, sizeText, statusWord } from './words';

const who = (r: Report) =>
  !r.requested_by
    ? '—'
    : r.requested_by.type === 'schedule'
      ? `Schedule “${r.requested_by.label}”`
      : r.requested_by.label;

/** The organisation's newest reports: what each covers, where it is, and its file once done. */
export function ReportsCard(props: {
  tenantId: string;
  reports: Report[] | undefined;
  total: number;
  pending: boolean;
  error: Error | null;
  empty: React.ReactNode;
}) {
  const [deleting, setDeleting] = useState<Report | null>(null);
  const remove = useApiMutation(deleteReport, { success: (_r, v) => `${kindText(v.report.kind)} report deleted` });
  const items = props.reports ?? [];
  return (
    <Card aria-label="Latest reports">
      <CardHeader
        title="Latest reports"
        description={
          props.total > items.length
            ? `The newest ${REPORTS_SHOWN} of ${props.total}. Older reports are deleted after the retention period.`
            : 'Older reports are deleted after the retention period.'
        }
      />
      {props.pending ? (
        <TableSkeleton cols={6} />
      ) : props.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the reports: {props.error.message}
        </p>
      ) : items.length === 0 ? (
        <EmptyState icon={FileChartColumn} title="No reports yet" action={props.empty}>
          A report sums up the fleet, one device, compliance or SLA over a period, as a PDF or a CSV.
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Report</Th>
              <Th>Period</Th>
              <Th>Status</Th>
              <Th className="text-right">Size</Th>
              <Th>Asked by</Th>
              <Th>Created</Th>
              <Th className="w-40">
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {items.map((r) => {
              const status = statusWord[r.status];
              const name = `${kindText(r.kind)} report of ${periodText(r)}`;
              return (
                <tr key={r.id} data-report={r.id} data-kind={r.kind}>
                  <Td>
                    <span className="font-medium">{kindText(r.kind)}</span>{' '}
                    <span className="text-xs text-muted-foreground uppercase">{r.format}</span>
                    {headline(r) ? <div className="text-xs text-muted-foreground">{headline(r)}</div> : null}
                  </Td>
                  <Td className="whitespace-nowrap text-muted-foreground">{periodText(r)}</Td>
                  <Td>
                    <Badge tone={status.tone} data-status={r.status}>
                      {status.label}
                    </Badge>
                    {r.status === 'failed' && r.error ? (
                      <div className="mt-0.5 max-w-64 text-xs text-destructive" data-error>
                        {r.error}
                      </div>
                    ) : null}
                  </Td>
                  <Td className="text-right text-muted-foreground tabular-nums" data-size>
                    {sizeText(r)}
                  </Td>
                  <Td className="text-muted-foreground">{who(r)}</Td>
                  <Td className="whitespace-nowrap text-muted-foreground tabular-nums">{dateTime(r.created_at)}</Td>
                  <Td className="text-right whitespace-nowrap">
                    {r.status === 'done' && r.policies.download ? (
                      <Button asChild size="sm" variant="ghost">
                        <a
                          href={reportFileUrl(props.tenantId, r.id)}
                          download={r.file_name ?? ''}
                          aria-label={`Download ${name}`}
                        >
                          <Download aria-hidden /> Download
                        </a>
                      </Button>
                    ) : null}
                    {r.policies.delete ? (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-destructive hover:text-destructive"
                        aria-label={`Delete ${name}`}
                        onClick={() => setDeleting(r)}
                      >
                        Delete
                      </Button>
                    ) : null}
                  </Td>
                </tr>
              );
            })}
          </TBody>
        </Table>
      )}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete the ${deleting ? kindText(deleting.kind) : ''} report?`}
        description="Its file is deleted too. This cannot be undone."
        confirm="Delete report"
        busy={remove.isPending}
        onConfirm={() =>
          deleting &&
          remove.mutate({ tenantId: props.tenantId, report: deleting }, { onSettled: () => setDeleting(null) })
        }
      />
    </Card>
  );
}
