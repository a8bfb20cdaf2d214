import { useQuery } from '@tanstack/react-query';
import { Activity, Boxes, CheckCircle2, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { deviceQuery } from '@/api/devices';
import { createTenant, startDemo } from '@/api/tenants';
import { useMe } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toast';
import { useApiMutation } from '@/lib/mutation';
import { AddDeviceForm } from '../devices/add-device-form';
import { StatusBadge } from '../devices/status';
import { reasonText } from '../fleet/format';

function StepHeading({ n, title, children }: { n: number; title: string; children: React.ReactNode }) {
  return (
    <div className="grid gap-1.5 pb-6">
      <p className="text-xs font-medium text-muted-foreground">Step {n} of 3</p>
      <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
      <p className="text-[13px] text-muted-foreground">{children}</p>
    </div>
  );
}

export function StepOrganisation({ onDone }: { onDone: (tenantId: string) => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useApiMutation(createTenant, { success: (t) => `Organisation ${t.name} created`, silentErrors: true });
  const error = create.error;
  const busy = create.isPending || create.isSuccess;

  function submit(e: React.FormEvent) {
    e.preventDefault();
    create.mutate({ name, description }, { onSuccess: (t) => onDone(t.id) });
  }

  return (
    <form onSubmit={submit} noValidate>
      <StepHeading n={1} title="Create your organisation">
        Each organisation keeps its devices, users, API keys and audit trail apart from every other. Name it after the
        customer or team the routers belong to; you can add more later.
      </StepHeading>
      <div className="grid gap-4 rounded-xl border bg-card p-5 shadow-xs">
        <Field
          id="org-name"
          label="Name"
          error={error?.field('name') ?? (error && !error.field('description') ? error.detail : undefined)}
        >
          <Input
            id="org-name"
            autoFocus
            value={name}
            placeholder="Acme Networks"
            onChange={(e) => setName(e.target.value)}
            aria-invalid={error ? true : undefined}
          />
        </Field>
        <Field id="org-description" label="Description" hint="Optional" error={error?.field('description')}>
          <Input id="org-description" value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
      </div>
      <div className="flex justify-end pt-5">
        <Button type="submit" variant="primary" disabled={busy || !name.trim()}>
          {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Create organisation
        </Button>
      </div>
    </form>
  );
}

export function StepDevice(props: {
  tenantId: string;
  onAdded: (deviceId: string) => void;
  onDemo: (tenantId: string) => void;
  onBack: () => void;
}) {
  const me = useMe();
  const demo = useApiMutation(startDemo, { success: (r) => `Demo fleet ready: ${r.devices} simulated routers` });
  // Busy until the wizard has moved on to the demo organisation's dashboard.
  const demoBusy = demo.isPending || Boolean(demo.data?.tenant_id);
  return (
    <div>
      <StepHeading n={2} title="Add your first device">
        TOD talks to RouterOS over its API port. Give it an address and credentials and it probes the router at once,
        telling you exactly what failed if it cannot connect.
      </StepHeading>
      <div className="grid gap-3">
        <div className="rounded-xl border bg-card p-5 shadow-xs">
          <AddDeviceForm
            tenantId={props.tenantId}
            onAdded={(d) => props.onAdded(d.id)}
            submitLabel="Add and continue"
          />
        </div>
        {me.permissions['demo.manage'] ? (
          <div className="flex items-center justify-between gap-3 rounded-xl border border-dashed bg-card/50 p-5">
            <span className="grid gap-1">
              <span className="flex items-center gap-2 text-[13px] font-medium">
                <Boxes className="size-4 text-muted-foreground" aria-hidden /> Try it with a demo fleet
              </span>
              <span className="text-[13px] text-muted-foreground">
                25 simulated routers with live traffic, in their own organisation “Demo (simulated)”.
              </span>
            </span>
            <Button
              onClick={() =>
                demo.mutate(undefined, {
                  onSuccess: (r) =>
                    r.tenant_id ? props.onDemo(r.tenant_id) : toast.error('The demo fleet did not start'),
                })
              }
              disabled={demoBusy}
            >
              {demoBusy ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Start demo fleet
            </Button>
          </div>
        ) : null}
      </div>
      <div className="flex justify-between pt-5">
        <Button variant="ghost" onClick={props.onBack}>
          Back
        </Button>
      </div>
    </div>
  );
}

/** Waits for the first poll of the device just added and shows it online (or why it is not). */
export function StepVerify(props: { tenantId: string; deviceId?: string; onFinish: () => void; onBack: () => void }) {
  const q = useQuery({
    ...deviceQuery(props.tenantId, props.deviceId ?? ''),
    enabled: Boolean(props.deviceId),
    refetchInterval: (query) => (query.state.data?.status === 'online' ? false : 2000),
  });
  const d = q.data;
  const online = d?.status === 'online';
  return (
    <div>
      <StepHeading n={3} title="Verify">
        TOD polls every device on a fixed rhythm. This page waits for the first poll and shows the device online.
      </StepHeading>
      <div className="flex items-start gap-3 rounded-xl border bg-card p-5 shadow-xs" data-verify={d?.status ?? 'none'}>
        {online ? (
          <CheckCircle2 className="mt-0.5 size-4 text-success" aria-hidden />
        ) : props.deviceId ? (
          <Loader2 className="mt-0.5 size-4 animate-spin text-muted-foreground" aria-hidden />
        ) : (
          <Activity className="mt-0.5 size-4 text-muted-foreground" aria-hidden />
        )}
        <div className="grid gap-1.5" role="status">
          <span className="flex flex-wrap items-center gap-2 text-[13px] font-medium">
            {!props.deviceId
              ? 'No device was added'
              : online
                ? `${d?.name} is online`
                : d?.status === 'offline'
                  ? `${d?.name} is offline`
                  : 'Waiting for the first poll…'}
            {d ? <StatusBadge d={d} /> : null}
          </span>
          <p className="text-[13px] text-muted-foreground">
            {online
              ? [d?.identity, d?.model, d?.version && `RouterOS ${d.version}`].filter(Boolean).join(' · ')
              : d?.status_reason
                ? (reasonText[d.status_reason] ?? d.status_reason)
                : props.deviceId
                  ? 'This takes up to one poll interval.'
                  : 'Go back to add one, or continue to the dashboard.'}
          </p>
        </div>
      </div>
      <div className="flex justify-between pt-5">
        <Button variant="ghost" onClick={props.onBack}>
          Back
        </Button>
        <Button variant="primary" onClick={props.onFinish}>
          Go to the dashboard
        </Button>
      </div>
    </div>
  );
}
