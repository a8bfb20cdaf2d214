import { useQuery } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { preferenceQuery, setPreference, type ViewMode } from '@/api/simple-config';
import { Skeleton } from '@/components/ui/skeleton';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import type { DeviceTabProps } from '../feature';
import { SimpleView } from './simple-view';

// The device's Setup tab: Simple (seven forms for the usual settings) or Standard (the full configuration editor,
// the Config tab's). Which one a person sees for this device is kept on the server, so it follows them to any
// browser; nothing chosen yet is Standard.

const ConfigTab = lazy(() => import('../changes/config-tab'));

const views = [
  ['simple', 'Simple'],
  ['standard', 'Standard'],
] as const;

export default function SetupTab(props: DeviceTabProps) {
  const { tenantId, deviceId } = props;
  const pref = useQuery(preferenceQuery(tenantId, deviceId));
  const save = useApiMutation(setPreference);
  if (pref.isPending) return <Skeleton className="h-40 w-full" />;
  // The choice shows at once; the server keeps it.
  const mode: ViewMode = (save.isPending ? save.variables?.mode : undefined) ?? pref.data?.mode ?? 'standard';
  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-4" data-view={mode}>
      <div className="flex flex-wrap items-center gap-3">
        <span className="text-[13px] font-medium">View</span>
        <Segmented
          label="View"
          value={mode}
          options={views}
          onChange={(m) => m !== mode && save.mutate({ tenantId, deviceId, mode: m })}
        />
        <span className="text-xs text-muted-foreground">
          {mode === 'simple'
            ? 'Forms for the usual settings: Internet, LAN, WiFi, port forwarding, firewall, DNS and system.'
            : 'Every menu of the router.'}{' '}
          Remembered for you on this device.
        </span>
        {pref.error ? (
          <span role="alert" className="text-xs text-destructive">
            Could not read your view: {pref.error.message}
          </span>
        ) : null}
      </div>
      {mode === 'simple' ? (
        <SimpleView tenantId={tenantId} deviceId={deviceId} />
      ) : (
        <Suspense fallback={<Skeleton className="h-40 w-full" />}>
          <ConfigTab {...props} />
        </Suspense>
      )}
    </div>
  );
}
