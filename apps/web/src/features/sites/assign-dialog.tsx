import { useQuery } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { devicesQuery } from '@/api/devices';
import { assignToSite } from '@/api/sites';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import { plural } from './words';

// Picks devices of the organisation that are not at this site (those at another site move here) and assigns them
// in one bulk-assign.

export function AssignDialog(props: { tenantId: string; siteId: string; onClose: () => void }) {
  const all = useQuery(devicesQuery(props.tenantId, { fields: ['name', 'host', 'site_id'], sort: 'name' }));
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const assign = useApiMutation(assignToSite, {
    success: (r) => `${plural(r.assigned, 'device')} assigned${r.moved ? `, ${r.moved} moved from another site` : ''}`,
  });
  const text = filter.trim().toLowerCase();
  const offered = (all.data?.items ?? []).filter(
    (d) => d.site_id !== props.siteId && (!text || `${d.name} ${d.host}`.toLowerCase().includes(text)),
  );
  const toggle = (id: string, on: boolean) =>
    setChosen((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent title="Add devices to the site" description="Devices at another site move to this one.">
        <Input
          aria-label="Filter devices"
          placeholder="Filter by name or address"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
        <fieldset className="grid max-h-72 gap-1 overflow-y-auto" aria-label="Devices">
          {all.isPending ? (
            <p className="text-[13px] text-muted-foreground">Loading…</p>
          ) : offered.length === 0 ? (
            <p className="text-[13px] text-muted-foreground">No other devices to add.</p>
          ) : (
            offered.map((d) => (
              <label key={d.id} className="flex items-center gap-2 rounded px-1 py-1 text-[13px] hover:bg-accent/40">
                <input type="checkbox" checked={chosen.has(d.id)} onChange={(e) => toggle(d.id, e.target.checked)} />
                <span className="font-medium">{d.name}</span>
                <span className="text-muted-foreground">{d.host}</span>
                {d.site_id ? <span className="text-xs text-muted-foreground">(at another site)</span> : null}
              </label>
            ))
          )}
        </fieldset>
        <DialogFooter>
          <Button onClick={props.onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={chosen.size === 0 || assign.isPending}
            onClick={() =>
              assign.mutate(
                { tenantId: props.tenantId, siteId: props.siteId, deviceIds: [...chosen] },
                { onSuccess: props.onClose },
              )
            }
          >
            {assign.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Add {chosen.size ? plural(chosen.size, 'device') : 'devices'}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
