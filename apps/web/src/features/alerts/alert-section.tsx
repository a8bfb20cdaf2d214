import { useInfiniteQuery } from '@tanstack/react-query';
import type { LucideIcon } from 'lucide-react';
import { useMemo } from 'react';
import { type Alert, type AlertFilters, alertsQuery } from '@/api/alerts';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { AlertList } from './alert-list';
import { severityRank } from './words';

/** Critical before warning before info; the server's newest-first order within each. */
export const bySeverity = (xs: Alert[]) => [...xs].sort((a, b) => severityRank[a.severity] - severityRank[b.severity]);

/** One list of alerts (active, or history) in a card: keyset pages with "Load more". */
export function AlertSection(props: {
  tenantId: string;
  filters: AlertFilters;
  title: string;
  description: string;
  /** Active alerts are listed by severity first. */
  severityFirst?: boolean;
  pageSize?: number;
  showDevice?: boolean;
  empty: { icon: LucideIcon; title: string; text: string };
  section: string;
}) {
  const q = useInfiniteQuery(alertsQuery(props.tenantId, props.filters, props.pageSize));
  const rows = useMemo(() => {
    const all = q.data?.pages.flatMap((p) => p.items) ?? [];
    return props.severityFirst ? bySeverity(all) : all;
  }, [q.data, props.severityFirst]);
  return (
    <Card data-alert-section={props.section}>
      <CardHeader title={props.title} description={props.description} />
      {q.isPending ? (
        <TableSkeleton rows={3} cols={6} />
      ) : q.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the alerts: {q.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState icon={props.empty.icon} title={props.empty.title}>
          {props.empty.text}
        </EmptyState>
      ) : (
        <AlertList tenantId={props.tenantId} alerts={rows} showDevice={props.showDevice} />
      )}
      {q.hasNextPage ? (
        <div className="border-t p-2 text-center">
          <Button variant="ghost" size="sm" disabled={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}
