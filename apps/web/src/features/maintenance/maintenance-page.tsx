import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { CalendarClock, Plus } from 'lucide-react';
import { useState } from 'react';
import { deleteWindow, type MaintenanceWindow, windowsQuery } from '@/api/maintenance-windows';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { useFleetStream } from '../fleet/live';
import { calendar, DAYS_AHEAD, type Slot } from './calendar';
import { useScopeNames } from './scope-picker';
import { WindowDialog } from './window-dialog';
import { repeatText, scopeText, spanText, untilText, zoneSpanText } from './words';

// Maintenance windows as a calendar-like list: what is open now, then every occurrence of the next two weeks by
// day, then the windows themselves to edit. Times show on the viewer's clock, and on the window's own when that
// differs.

export function MaintenancePage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="maintenance.read">
      <Maintenance key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

const dayTitle = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });

function Maintenance({ tenantId }: { tenantId: string }) {
  // Windows created or changed elsewhere arrive on the stream (api/maintenance-windows.ts maintenanceLive).
  useFleetStream(tenantId);
  const canCreate = useCan('maintenance.write');
  const list = useQuery(windowsQuery(tenantId));
  const { nameOf } = useScopeNames(tenantId);
  const search = useSearch({ from: '/_app/maintenance' });
  const navigate = useNavigate({ from: '/maintenance' });
  const setCreating = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });
  const [editing, setEditing] = useState<MaintenanceWindow | null>(null);
  const [deleting, setDeleting] = useState<MaintenanceWindow | null>(null);
  const remove = useApiMutation(deleteWindow, { success: (_r, v) => `${v.window.name} deleted` });
  const windows = list.data?.items ?? [];
  const cal = calendar(windows);
  const covers = (w: MaintenanceWindow) => scopeText(w.scopes, nameOf);

  return (
    <>
      <PageHeader
        title="Maintenance windows"
        description="While a window is open, alerts of the devices it covers are recorded but not sent."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New window
            </Button>
          ) : null
        }
      />
      {list.isPending ? (
        <Card>
          <TableSkeleton cols={4} />
        </Card>
      ) : list.error ? (
        <Card>
          <p role="alert" className="p-4 text-[13px] text-destructive">
            Could not load the maintenance windows: {list.error.message}
          </p>
        </Card>
      ) : windows.length === 0 ? (
        <Card>
          <EmptyState icon={CalendarClock} title="No maintenance windows">
            {canCreate
              ? 'Plan one before upgrades or planned outages, so nobody is woken by alerts you expect.'
              : 'Operators plan windows before upgrades or planned outages; they show here.'}
          </EmptyState>
        </Card>
      ) : (
        <div className="grid gap-5">
          <Card data-open-windows>
            <CardHeader title="Open now" />
            {cal.open.length === 0 ? (
              <p className="px-4 py-3 text-[13px] text-muted-foreground">No window is open: alerts are sent.</p>
            ) : (
              <ul className="divide-y">
                {cal.open.map((s) => (
                  <SlotRow key={s.window.id} slot={s} covers={covers(s.window)} open />
                ))}
              </ul>
            )}
          </Card>

          <Card data-upcoming>
            <CardHeader title={`Next ${DAYS_AHEAD} days`} />
            {cal.days.length === 0 ? (
              <p className="px-4 py-3 text-[13px] text-muted-foreground">Nothing planned.</p>
            ) : (
              cal.days.map((d) => (
                <section
                  key={d.key}
                  data-day={d.key}
                  aria-label={dayTitle.format(d.date)}
                  className="border-b last:border-b-0"
                >
                  <h3 className="bg-surface/60 px-4 py-1.5 text-xs font-medium text-muted-foreground">
                    {dayTitle.format(d.date)}
                  </h3>
                  <ul className="divide-y">
                    {d.slots.map((s) => (
                      <SlotRow key={`${s.window.id}-${s.start}`} slot={s} covers={covers(s.window)} />
                    ))}
                  </ul>
                </section>
              ))
            )}
          </Card>

          <Card>
            <CardHeader title="All windows" />
            <Table>
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Repeats</Th>
                  <Th>Covers</Th>
                  <Th>Next</Th>
                  <Th className="w-36">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {windows.map((w) => (
                  <tr key={w.id} data-window={w.name}>
                    <Td className="font-medium">
                      {w.name}
                      {w.active ? (
                        <Badge className="ml-2" tone="warning">
                          Open now
                        </Badge>
                      ) : null}
                    </Td>
                    <Td className="text-muted-foreground">
                      {repeatText(w)} <span className="text-xs">({w.timezone})</span>
                    </Td>
                    <Td className="max-w-64 truncate text-muted-foreground">{covers(w)}</Td>
                    <Td className="whitespace-nowrap text-muted-foreground tabular-nums" data-next>
                      {w.next ? dateTime(w.next.starts_at) : w.active ? '—' : 'Ended'}
                    </Td>
                    <Td className="text-right whitespace-nowrap">
                      {w.policies.update ? (
                        <Button size="sm" variant="ghost" onClick={() => setEditing(w)} aria-label={`Edit ${w.name}`}>
                          Edit
                        </Button>
                      ) : null}
                      {w.policies.delete ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          className="text-destructive hover:text-destructive"
                          onClick={() => setDeleting(w)}
                          aria-label={`Delete ${w.name}`}
                        >
                          Delete
                        </Button>
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          </Card>
        </div>
      )}
      {canCreate ? (
        <WindowDialog
          tenantId={tenantId}
          open={search.new === true || editing !== null}
          window={editing}
          onOpenChange={(o) => {
            if (!o) {
              setEditing(null);
              if (search.new) setCreating(false);
            }
          }}
        />
      ) : null}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
        description={
          deleting?.active
            ? 'It is open now: alerts of the devices it covers are sent again from now on. This cannot be undone.'
            : 'This cannot be undone.'
        }
        confirm="Delete window"
        busy={remove.isPending}
        onConfirm={() =>
          deleting && remove.mutate({ tenantId, window: deleting }, { onSettled: () => setDeleting(null) })
        }
      />
    </>
  );
}

/** One occurrence: its times, the window's name, what it covers and how it repeats. */
function SlotRow({ slot: s, covers, open }: { slot: Slot; covers: string; open?: boolean }) {
  const local = zoneSpanText(s.start, s.end, s.window.timezone);
  return (
    <li className="flex flex-wrap items-baseline gap-x-4 gap-y-0.5 px-4 py-2 text-[13px]" data-slot={s.window.name}>
      <span className="w-44 shrink-0 tabular-nums">{open ? untilText(s.end) : spanText(s.start, s.end)}</span>
      <span className="font-medium">{s.window.name}</span>
      <span className="text-muted-foreground">{covers}</span>
      <span className="text-xs text-muted-foreground">
        {repeatText(s.window)}
        {local ? ` · ${local}` : ''}
      </span>
    </li>
  );
}
