import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { FileCode2, Plus, Sparkles } from 'lucide-react';
import { templatesQuery } from '@/api/templates';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { useFleetStream } from '../fleet/live';
import { StarterDialog } from './starter-dialog';
import { plural } from './words';

// The organisation's configuration templates: what each is for, how many devices it was pushed to and how many of
// those drifted since. New ones start blank or from a starter.

export function TemplatesPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="templates.read">
      <Templates key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

function Templates({ tenantId }: { tenantId: string }) {
  // Drift moves with every backup, assignments with every push (api/templates.ts templatesLive).
  useFleetStream(tenantId);
  const canWrite = useCan('templates.write');
  const q = useQuery(templatesQuery(tenantId));
  const search = useSearch({ from: '/_app/templates/' });
  const navigate = useNavigate({ from: '/templates/' });
  const setStarting = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });
  const items = q.data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Templates"
        description="Configuration written once with variables, rendered for each router, previewed and pushed as a rollout."
        actions={
          canWrite ? (
            <>
              <Button onClick={() => setStarting(true)}>
                <Sparkles aria-hidden /> New from starter
              </Button>
              <Button variant="primary" asChild>
                <Link to="/templates/new">
                  <Plus aria-hidden /> New template
                </Link>
              </Button>
            </>
          ) : null
        }
      />
      <Card>
        {q.isPending ? (
          <TableSkeleton cols={4} />
        ) : q.error ? (
          <p role="alert" className="p-4 text-[13px] text-destructive">
            Could not load the templates: {q.error.message}
          </p>
        ) : items.length === 0 ? (
          <EmptyState icon={FileCode2} title="No templates yet">
            {canWrite
              ? 'Start from a starter (basic router, firewall, DHCP server, wireless AP, initial setup) or write your own.'
              : 'Operators write templates here; you can read and preview them.'}
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Description</Th>
                <Th className="text-right">Devices</Th>
                <Th>Drift</Th>
              </tr>
            </THead>
            <TBody>
              {items.map((t) => (
                <tr key={t.id} data-template={t.name}>
                  <Td className="font-medium">
                    <Link to="/templates/$templateId" params={{ templateId: t.id }} className="hover:underline">
                      {t.name}
                    </Link>
                  </Td>
                  <Td className="max-w-md truncate text-muted-foreground">{t.description}</Td>
                  <Td className="text-right tabular-nums" data-assigned>
                    {t.assigned}
                  </Td>
                  <Td data-drifted={t.drifted}>
                    {t.drifted > 0 ? (
                      <Badge tone="warning">{t.drifted} drifted</Badge>
                    ) : t.assigned > 0 ? (
                      <Badge tone="success">None drifted</Badge>
                    ) : (
                      <span className="text-xs text-muted-foreground">Not pushed</span>
                    )}
                  </Td>
                </tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>
      {items.length > 0 ? (
        <p className="mt-2 text-xs text-muted-foreground">{plural(items.length, 'template')}</p>
      ) : null}
      {canWrite ? <StarterDialog tenantId={tenantId} open={search.new === true} onOpenChange={setStarting} /> : null}
    </>
  );
}
