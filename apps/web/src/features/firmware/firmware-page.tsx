import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { ArrowUpCircle, Loader2, RefreshCw } from 'lucide-react';
import { useState } from 'react';
import { type CheckResult, checkFirmware, type FirmwareDevice, firmwareQuery } from '@/api/firmware';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { useApiMutation } from '@/lib/mutation';
import { useFleetStream } from '../fleet/live';
import { DevicesTable } from './devices-table';
import { LatestCard } from './latest-card';
import { PackagesSection } from './packages-section';
import { UpgradeDialog } from './upgrade-dialog';
import { lastChecked, plural } from './words';

// The Firmware page: the newest RouterOS per channel as the routers report it, what every device runs against
// that, and (for operators) a check now and upgrades of the selected devices as a rollout. Admins also keep the
// package cache here. What a person may do comes from the inventory's `policies`.

export type FirmwareSearch = { upgrades?: boolean };
export const firmwareSearch = (s: Record<string, unknown>): FirmwareSearch =>
  s.upgrades === true || s.upgrades === 'true' || s.upgrades === 1 || s.upgrades === '1' ? { upgrades: true } : {};

export function FirmwarePage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="firmware.read">
      <Firmware key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

const checkSummary = (r: CheckResult) =>
  r.status === 'running'
    ? `Checking ${plural(r.devices, 'device')}: results appear as they come in`
    : r.failed > 0
      ? `Checked ${plural(r.checked, 'device')}; ${r.failed} could not be checked`
      : `Checked ${plural(r.checked, 'device')}`;

function Firmware({ tenantId }: { tenantId: string }) {
  // A finished upgrade changes what devices run (api/firmware.ts firmwareLive).
  useFleetStream(tenantId);
  const q = useInfiniteQuery(firmwareQuery(tenantId));
  const search = useSearch({ from: '/_app/firmware/' });
  const navigate = useNavigate({ from: '/firmware/' });
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [upgrading, setUpgrading] = useState(false);
  const check = useApiMutation(checkFirmware, { success: checkSummary });

  const pages = q.data?.pages ?? [];
  const first = pages[0];
  const devices = pages.flatMap((p) => p.items);
  const policies = first?.policies ?? { check: false, upgrade: false, upload: false };
  const onlyUpgrades = search.upgrades === true;
  const shown = onlyUpgrades ? devices.filter((d) => d.update_available || d.routerboard_upgrade_available) : devices;
  const chosen: FirmwareDevice[] = devices.filter((d) => selected.has(d.device_id));

  return (
    <>
      <PageHeader
        title="Firmware"
        description="What RouterOS each router runs, what its update channel offers, and upgrades as rollouts."
        actions={
          <>
            {policies.check ? (
              <Button onClick={() => check.mutate({ tenantId })} disabled={check.isPending}>
                {check.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <RefreshCw aria-hidden />}
                Check now
              </Button>
            ) : null}
            {policies.upgrade ? (
              <Button variant="primary" disabled={chosen.length === 0} onClick={() => setUpgrading(true)}>
                <ArrowUpCircle aria-hidden /> Upgrade…
              </Button>
            ) : null}
          </>
        }
      />
      <div className="grid gap-4">
        <LatestCard latest={first?.latest ?? []} checkedAt={lastChecked(devices)} loading={q.isPending} />
        <DevicesTable
          devices={shown}
          total={first?.total ?? 0}
          loading={q.isPending}
          error={q.error}
          selectable={policies.upgrade}
          selected={selected}
          onSelect={setSelected}
          onlyUpgrades={onlyUpgrades}
          onOnlyUpgrades={(on) => navigate({ search: on ? { upgrades: true } : {}, replace: true })}
          more={q.hasNextPage ? { loading: q.isFetchingNextPage, load: () => q.fetchNextPage() } : undefined}
        />
        {policies.upload ? <PackagesSection tenantId={tenantId} /> : null}
      </div>
      {upgrading && chosen.length > 0 ? (
        <UpgradeDialog
          tenantId={tenantId}
          devices={chosen}
          latest={first?.latest ?? []}
          onClose={() => setUpgrading(false)}
        />
      ) : null}
    </>
  );
}
