import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { ArrowLeft } from 'lucide-react';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Card } from '@/components/ui/card';
import { AddDeviceForm } from './add-device-form';

export function BackToDevices() {
  return (
    <Link
      to="/devices"
      className="mb-2 inline-flex items-center gap-1 text-xs text-muted-foreground hover:text-foreground"
    >
      <ArrowLeft className="size-3.5" aria-hidden /> Devices
    </Link>
  );
}

export function AddDevicePage() {
  const { current } = useTenants();
  const navigate = useNavigate();
  const search = useSearch({ from: '/_app/devices/new' });
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="devices.write">
      <BackToDevices />
      <PageHeader
        title="Add a device"
        description="TOD probes the router before saving it and tells you exactly what failed."
      />
      <Card className="max-w-2xl p-5">
        <AddDeviceForm
          tenantId={current.id}
          initial={search}
          onAdded={(d) => navigate({ to: '/devices/$deviceId', params: { deviceId: d.id } })}
          onCancel={() => navigate({ to: '/devices' })}
        />
      </Card>
    </RequirePermission>
  );
}
