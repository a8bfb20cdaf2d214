import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { menusQuery } from '@/api/changes';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import type { DeviceTabProps } from '../feature';
import { EditorProvider } from './editor';
import { MenuTable } from './menu-table';
import { MenuTree } from './menu-tree';

// The device page's Config tab: the configuration tree by RouterOS path on the left, the chosen menu's rows on the
// right, edits collected into one change set, reviewed and applied through the engine.

const FIRST = ['/ip/firewall/filter', '/ip/address', '/interface'];

export default function ConfigTab({ tenantId, deviceId }: DeviceTabProps) {
  const menus = useQuery(menusQuery(tenantId, deviceId));
  const [path, setPath] = useState<string | null>(null);
  const list = menus.data?.menus ?? [];
  const chosen =
    path ??
    FIRST.find((p) => list.some((m) => m.path === p && m.in_config)) ??
    list.find((m) => m.in_config)?.path ??
    list[0]?.path;
  return (
    <EditorProvider tenantId={tenantId} deviceId={deviceId}>
      <div className="grid items-start gap-4 lg:grid-cols-[240px_minmax(0,1fr)]">
        <Card className="p-3">
          {menus.isPending ? (
            <Skeleton className="h-64 w-full" />
          ) : menus.error ? (
            <p role="alert" className="text-[13px] text-destructive">
              Could not load the menus: {menus.error.message}
            </p>
          ) : (
            <MenuTree menus={list} chosen={chosen ?? ''} onChoose={setPath} />
          )}
        </Card>
        {chosen ? <MenuTable key={chosen} path={chosen} /> : null}
      </div>
    </EditorProvider>
  );
}
