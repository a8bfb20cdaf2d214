import { useQuery } from '@tanstack/react-query';
import { createContext, useContext, useMemo, useState } from 'react';
import { tenantsQuery } from '@/api/tenants';
import type { Tenant } from '@/api/types';
import { prefs } from '@/lib/storage';
import { useMe } from './session';

type TenantContext = {
  tenants: Tenant[];
  /** The organisation pages act in: the user's own, or the one a super_admin picked. Null: none exists yet. */
  current: Tenant | null;
  select: (id: string) => void;
};

const Ctx = createContext<TenantContext | null>(null);

export function TenantProvider({ children }: { children: React.ReactNode }) {
  const me = useMe();
  const { data } = useQuery(tenantsQuery);
  const [picked, setPicked] = useState(() => prefs.get('tenant'));
  const value = useMemo<TenantContext>(() => {
    const tenants = data?.items ?? [];
    const wanted = me.tenant_id ?? picked;
    const current = tenants.find((t) => t.id === wanted) ?? tenants[0] ?? null;
    return {
      tenants,
      current,
      select: (id) => {
        prefs.set('tenant', id);
        setPicked(id);
      },
    };
  }, [data, me.tenant_id, picked]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useTenants(): TenantContext {
  const c = useContext(Ctx);
  if (!c) throw new Error('useTenants outside TenantProvider');
  return c;
}
