import { useState } from 'react';
import { type Device, updateDevice } from '@/api/devices';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { useApiMutation } from '@/lib/mutation';

export const tlsOptions = [
  { value: 'auto', label: 'Auto (TLS, then plain)' },
  { value: 'verify', label: 'TLS, verified certificate' },
  { value: 'insecure', label: 'TLS, any certificate' },
  { value: 'plain', label: 'Plain API (no TLS)' },
];
type Tls = 'auto' | 'verify' | 'insecure' | 'plain';

/** Edits how TOD reaches a device; a blank password keeps the stored one (credentials are write-only). */
export function EditDeviceDialog({
  tenantId,
  device,
  onClose,
}: {
  tenantId: string;
  device: Device;
  onClose: () => void;
}) {
  const [f, setF] = useState({
    name: device.name ?? '',
    host: device.host ?? '',
    port: String(device.port ?? 8728),
    ssh_port: String(device.ssh_port ?? 22),
    winbox_port: String(device.winbox_port ?? 8291),
    tls_mode: (device.tls_mode ?? 'auto') as Tls,
    username: device.username ?? '',
    password: '',
    notes: device.notes ?? '',
  });
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [k]: e.target.value });
  const save = useApiMutation(updateDevice, { success: (d) => `Saved ${d.name}`, silentErrors: true });
  const submit = () =>
    save.mutate(
      {
        tenantId,
        deviceId: device.id,
        body: {
          name: f.name,
          host: f.host,
          port: Number(f.port),
          ssh_port: Number(f.ssh_port),
          winbox_port: Number(f.winbox_port),
          tls_mode: f.tls_mode,
          notes: f.notes,
          ...(f.password ? { username: f.username, password: f.password } : {}),
        },
      },
      { onSuccess: onClose },
    );
  const err = save.error;
  return (
    <Dialog open onOpenChange={(o) => !o && onClose()}>
      <DialogContent title={`Edit ${device.name}`} description="Changes apply at the next poll.">
        <form
          className="grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Field id="edit-name" label="Name" error={err?.field('name')}>
            <Input id="edit-name" value={f.name} onChange={set('name')} />
          </Field>
          <div className="grid grid-cols-[1fr_80px_80px_80px] gap-3">
            <Field id="edit-host" label="Host" error={err?.field('host')}>
              <Input id="edit-host" value={f.host} onChange={set('host')} />
            </Field>
            <Field id="edit-port" label="API port" error={err?.field('port')}>
              <Input id="edit-port" inputMode="numeric" value={f.port} onChange={set('port')} />
            </Field>
            <Field id="edit-ssh-port" label="SSH port" error={err?.field('ssh_port')}>
              <Input id="edit-ssh-port" inputMode="numeric" value={f.ssh_port} onChange={set('ssh_port')} />
            </Field>
            <Field id="edit-winbox-port" label="WinBox port" error={err?.field('winbox_port')}>
              <Input id="edit-winbox-port" inputMode="numeric" value={f.winbox_port} onChange={set('winbox_port')} />
            </Field>
          </div>
          <Field id="edit-tls" label="TLS">
            <Select
              id="edit-tls"
              value={f.tls_mode}
              onValueChange={(v) => setF({ ...f, tls_mode: v as Tls })}
              options={tlsOptions}
            />
          </Field>
          <div className="grid grid-cols-2 gap-3">
            <Field id="edit-user" label="Username">
              <Input id="edit-user" value={f.username} onChange={set('username')} autoComplete="off" />
            </Field>
            <Field id="edit-pass" label="Password" hint="Blank keeps the stored one" error={err?.field('password')}>
              <Input
                id="edit-pass"
                type="password"
                value={f.password}
                onChange={set('password')}
                autoComplete="new-password"
              />
            </Field>
          </div>
          <Field id="edit-notes" label="Notes">
            <Input id="edit-notes" value={f.notes} onChange={set('notes')} />
          </Field>
          {err && !err.fieldErrors.length ? (
            <p role="alert" className="text-xs text-destructive">
              {err.detail}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={save.isPending}>
              Save
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
