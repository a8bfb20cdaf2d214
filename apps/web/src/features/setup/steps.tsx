import { useQueryClient } from '@tanstack/react-query';
import { Activity, Boxes, Loader2, Router as RouterIcon } from 'lucide-react';
import { useState } from 'react';
import { api, unwrap } from '@/api/client';
import { ApiError } from '@/api/errors';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toast';

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
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const t = await unwrap(api.POST('/api/tenants', { body: { name, description } }));
      await queryClient.invalidateQueries({ queryKey: ['tenants'] });
      toast.success('Organisation created', t.name);
      onDone(t.id);
    } catch (err) {
      setError(err instanceof ApiError ? err : null);
      setBusy(false);
    }
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

/** Placeholder until the fleet feature (device inventory, probe, demo fleet) exists on the server. */
function ComingWithFleet() {
  return <Badge tone="info">Arrives with the fleet feature</Badge>;
}

export function StepDevice({ onNext, onBack }: { onNext: () => void; onBack: () => void }) {
  return (
    <div>
      <StepHeading n={2} title="Add your first device">
        TOD talks to RouterOS over its API port. Give it an address and credentials and it probes the router at once,
        telling you exactly what failed if it cannot connect.
      </StepHeading>
      <div className="grid gap-3">
        <div className="grid gap-3 rounded-xl border bg-card p-5 shadow-xs">
          <div className="flex items-center justify-between gap-3">
            <span className="flex items-center gap-2 text-[13px] font-medium">
              <RouterIcon className="size-4 text-muted-foreground" aria-hidden /> Connect a router
            </span>
            <ComingWithFleet />
          </div>
          <p className="text-[13px] text-muted-foreground">
            Address, port, TLS mode and credentials, with a live probe result. This step becomes active when device
            inventory lands; until then continue, or skip setup and come back later.
          </p>
        </div>
        <div className="grid gap-3 rounded-xl border border-dashed bg-card/50 p-5">
          <div className="flex items-center justify-between gap-3">
            <span className="flex items-center gap-2 text-[13px] font-medium">
              <Boxes className="size-4 text-muted-foreground" aria-hidden /> Try it with a demo fleet
            </span>
            <ComingWithFleet />
          </div>
          <p className="text-[13px] text-muted-foreground">
            Simulated routers with live traffic, to explore TOD first.
          </p>
        </div>
      </div>
      <div className="flex justify-between pt-5">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button variant="primary" onClick={onNext}>
          Continue
        </Button>
      </div>
    </div>
  );
}

export function StepVerify({ onFinish, onBack }: { onFinish: () => void; onBack: () => void }) {
  return (
    <div>
      <StepHeading n={3} title="Verify">
        Once a device is added, TOD waits for its first poll here and shows it online before taking you to the
        dashboard.
      </StepHeading>
      <div className="flex items-start gap-3 rounded-xl border bg-card p-5 shadow-xs">
        <Activity className="mt-0.5 size-4 text-muted-foreground" aria-hidden />
        <div className="grid gap-1.5">
          <span className="flex flex-wrap items-center gap-2 text-[13px] font-medium">
            Waiting for the first poll <ComingWithFleet />
          </span>
          <p className="text-[13px] text-muted-foreground">Nothing to verify yet: no device was added.</p>
        </div>
      </div>
      <div className="flex justify-between pt-5">
        <Button variant="ghost" onClick={onBack}>
          Back
        </Button>
        <Button variant="primary" onClick={onFinish}>
          Go to the dashboard
        </Button>
      </div>
    </div>
  );
}
