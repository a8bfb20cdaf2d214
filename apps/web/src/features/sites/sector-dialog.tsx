import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import type { Device } from '@/api/devices';
import { createSector, type Sector, type SectorBody, updateSector } from '@/api/sites';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useApiMutation } from '@/lib/mutation';

// New sector or edit one: where it points, how wide, its frequency and the AP that serves it (one of the site's
// devices). Numbers go to the server as typed; its range errors land on their fields.

const NONE = 'none';
type Form = { name: string; azimuth: string; width: string; frequency: string; ap: string; notes: string };

const toForm = (s?: Sector): Form => ({
  name: s?.name ?? '',
  azimuth: s ? String(s.azimuth) : '0',
  width: s ? String(s.width) : '90',
  frequency: s?.frequency === null || s?.frequency === undefined ? '' : String(s.frequency),
  ap: s?.ap_device_id ?? NONE,
  notes: s?.notes ?? '',
});

const num = (v: string) => (v.trim() === '' ? Number.NaN : Number(v));

const toBody = (f: Form): SectorBody => ({
  name: f.name.trim(),
  azimuth: num(f.azimuth),
  width: num(f.width),
  frequency: f.frequency.trim() === '' ? null : Number(f.frequency),
  ap_device_id: f.ap === NONE ? null : f.ap,
  notes: f.notes,
});

export function SectorDialog(props: {
  tenantId: string;
  siteId: string;
  sector?: Sector;
  devices: Pick<Device, 'id' | 'name'>[];
  onClose: () => void;
}) {
  const [form, setForm] = useState(() => toForm(props.sector));
  const create = useApiMutation(createSector, { success: (r) => `Sector ${r.name} created`, silentErrors: true });
  const update = useApiMutation(updateSector, { success: (r) => `Sector ${r.name} saved`, silentErrors: true });
  const m = props.sector ? update : create;
  const err = m.error;
  const set = (k: keyof Form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));
  const aps = [{ value: NONE, label: 'No AP' }, ...props.devices.map((d) => ({ value: d.id, label: d.name ?? d.id }))];
  const other = err && !err.fieldErrors.length ? err.detail : undefined;

  const submit = () => {
    const base = { tenantId: props.tenantId, siteId: props.siteId, body: toBody(form) };
    if (props.sector) update.mutate({ ...base, id: props.sector.id }, { onSuccess: props.onClose });
    else create.mutate(base, { onSuccess: props.onClose });
  };

  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={props.sector ? `Edit ${props.sector.name}` : 'New sector'}
        description="A sector is an AP's coverage: the bearing it faces (0° north, clockwise) and its beam width."
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Field id="sector-name" label="Name" error={err?.field('name')}>
            <Input id="sector-name" autoFocus value={form.name} onChange={set('name')} placeholder="North" />
          </Field>
          <div className="grid grid-cols-3 gap-3">
            <Field id="sector-azimuth" label="Azimuth (°)" error={err?.field('azimuth')}>
              <Input id="sector-azimuth" inputMode="numeric" value={form.azimuth} onChange={set('azimuth')} />
            </Field>
            <Field id="sector-width" label="Width (°)" error={err?.field('width')}>
              <Input id="sector-width" inputMode="numeric" value={form.width} onChange={set('width')} />
            </Field>
            <Field id="sector-frequency" label="Frequency (MHz)" error={err?.field('frequency')}>
              <Input id="sector-frequency" inputMode="numeric" value={form.frequency} onChange={set('frequency')} />
            </Field>
          </div>
          <Field
            id="sector-ap"
            label="AP"
            hint="The access point that serves this sector, among the site's devices."
            error={err?.field('ap_device_id')}
          >
            <Select
              id="sector-ap"
              value={form.ap}
              options={aps}
              onValueChange={(v) => setForm((f) => ({ ...f, ap: v }))}
            />
          </Field>
          <Field id="sector-notes" label="Notes" error={err?.field('notes')}>
            <Input id="sector-notes" value={form.notes} onChange={set('notes')} />
          </Field>
          {other ? (
            <p role="alert" className="text-[13px] text-destructive">
              {other}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={m.isPending}>
              {m.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {props.sector ? 'Save sector' : 'Create sector'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
