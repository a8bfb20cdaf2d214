import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useParams } from '@tanstack/react-router';
import { ArrowLeft, Lock, Pencil, Trash2 } from 'lucide-react';
import { createContext, Suspense, useContext, useMemo, useState } from 'react';
import { type Device, deleteDevice, deviceQuery } from '@/api/devices';
import { ApiError } from '@/api/errors';
import { useMe } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { features } from '@/features';
import { cn } from '@/lib/cn';
import { ago } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { SimulatedBadge, StatusBadge } from '../devices/status';
import { allowed, type DeviceTab } from '../feature';
import { reasonText } from '../fleet/format';
import { useFleetStream } from '../fleet/live';
import { EditDeviceDialog } from './edit-dialog';
import { useLiveMetrics } from './metrics';

// The device page: header, live status, and one tab per feature that adds one (features/<f>/feature.ts
// `deviceTabs`). /devices/<id> shows the first tab the user may see, /devices/<id>/<tab> the others.

type Shown = { tenantId: string; deviceId: string; device: Device; tabs: DeviceTab[] };
const DeviceContext = createContext<Shown | null>(null);

export function DevicePage() {
  const { current } = useTenants();
  const { deviceId } = useParams({ from: '/_app/devices/$deviceId' });
  if (!current) return <NoOrganisation />;
  return <DeviceView tenantId={current.id} deviceId={deviceId} />;
}

function DeviceView({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  useFleetStream(tenantId);
  useLiveMetrics(tenantId, deviceId);
  const navigate = useNavigate();
  const me = useMe();
  const device = useQuery(deviceQuery(tenantId, deviceId));
  const tabs = useMemo(() => allowed(features.deviceTabs, me.permissions), [me.permissions]);
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useApiMutation(deleteDevice, { success: () => `Deleted ${device.data?.name ?? 'the device'}` });

  if (device.isPending)
    return (
      <div className="grid gap-4">
        <Skeleton className="h-8 w-64" />
        <Skeleton className="h-40 w-full" />
      </div>
    );
  if (device.error || !device.data)
    return (
      <Card>
        <EmptyState
          icon={ArrowLeft}
          title={device.error instanceof ApiError && device.error.status === 404 ? 'No such device' : 'Could not load'}
          action={
            <Button asChild>
              <Link to="/devices">Back to devices</Link>
            </Button>
          }
        >
          {device.error instanceof ApiError && device.error.status === 404
            ? 'It was deleted, or belongs to another organisation.'
            : String(device.error?.message ?? '')}
        </EmptyState>
      </Card>
    );
  const d = device.data;
  const p = d.policies ?? {};
  return (
    <>
      <Link
        to="/devices"
        className="mb-2 inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
      >
        <ArrowLeft className="size-3.5" aria-hidden /> Devices
      </Link>
      <PageHeader
        title={d.name ?? 'Device'}
        description={[d.host, d.model, d.version && `RouterOS ${d.version}`].filter(Boolean).join(' · ')}
        actions={
          <>
            {p['devices.write'] ? (
              <Button onClick={() => setEditing(true)}>
                <Pencil aria-hidden /> Edit
              </Button>
            ) : null}
            {p['devices.delete'] ? (
              <Button variant="destructive" onClick={() => setDeleting(true)}>
                <Trash2 aria-hidden /> Delete
              </Button>
            ) : null}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap items-center gap-2 text-[13px]" data-device-status={d.status}>
        <StatusBadge d={d} />
        {d.is_demo ? <SimulatedBadge /> : null}
        {d.status_reason ? (
          <span className="text-muted-foreground">{reasonText[d.status_reason] ?? d.status_reason}</span>
        ) : null}
        <span className="text-muted-foreground">· last seen {ago(d.last_seen_at)}</span>
      </div>
      <TabBar deviceId={deviceId} tabs={tabs} />
      <DeviceContext.Provider value={{ tenantId, deviceId, device: d, tabs }}>
        <Outlet />
      </DeviceContext.Provider>
      {editing ? <EditDeviceDialog tenantId={tenantId} device={d} onClose={() => setEditing(false)} /> : null}
      <Confirm
        open={deleting}
        onOpenChange={setDeleting}
        title={`Delete ${d.name}?`}
        description="Its settings, metrics and events are removed. This cannot be undone."
        confirm="Delete device"
        busy={remove.isPending}
        onConfirm={() => remove.mutate({ tenantId, deviceId }, { onSuccess: () => navigate({ to: '/devices' }) })}
      />
    </>
  );
}

const tabClass = cn(
  '-mb-px inline-flex h-9 items-center border-b-2 border-transparent px-3 text-[13px] text-muted-foreground',
  'hover:text-foreground data-[status=active]:border-foreground data-[status=active]:font-medium data-[status=active]:text-foreground',
);

function TabBar({ deviceId, tabs }: { deviceId: string; tabs: DeviceTab[] }) {
  const [first, ...rest] = tabs;
  if (!first) return null;
  return (
    <nav aria-label="Device sections" className="mb-4 flex gap-1 overflow-x-auto border-b">
      <Link
        to="/devices/$deviceId"
        params={{ deviceId }}
        activeOptions={{ exact: true, includeSearch: false }}
        className={tabClass}
        data-tab={first.id}
      >
        {first.label}
      </Link>
      {rest.map((t) => (
        <Link
          key={t.id}
          to="/devices/$deviceId/$tab"
          params={{ deviceId, tab: t.id }}
          className={tabClass}
          data-tab={t.id}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}

/** The open tab: /devices/<id> is the first one, /devices/<id>/<tab> the named one. */
export function DeviceTabView() {
  const shown = useContext(DeviceContext);
  const { tab } = useParams({ strict: false });
  if (!shown) return null;
  const t = tab === undefined ? shown.tabs[0] : shown.tabs.find((x) => x.id === tab);
  if (!t) {
    const exists = features.deviceTabs.some((x) => x.id === tab);
    return (
      <Card>
        <EmptyState
          icon={exists ? Lock : ArrowLeft}
          title={exists ? 'Not available for your role' : 'No such section'}
          action={
            <Button asChild>
              <Link to="/devices/$deviceId" params={{ deviceId: shown.deviceId }}>
                Back to the overview
              </Link>
            </Button>
          }
        >
          {exists
            ? 'An admin of your organisation can change your role if you need this section.'
            : 'This device page has no section by that name.'}
        </EmptyState>
      </Card>
    );
  }
  const Tab = t.component;
  return (
    <Suspense fallback={<Skeleton className="h-40 w-full" />}>
      <div data-device-tab={t.id}>
        <Tab tenantId={shown.tenantId} deviceId={shown.deviceId} device={shown.device} />
      </div>
    </Suspense>
  );
}
