import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CheckCircle2, Loader2, XCircle } from 'lucide-react';
import { useState } from 'react';
import { createDevice, type Device, type Endpoint, type ProbeResult, probeDevice } from '@/api/devices';
import { ApiError } from '@/api/errors';
import { inventoryQuery } from '@/api/inventory';
import { runMutation } from '@/api/mutation';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { toast } from '@/components/ui/toast';
import { tlsOptions } from '../device/edit-dialog';
import { reasonText } from '../fleet/format';

type Tls = 'auto' | 'verify' | 'insecure' | 'plain';

/** What a probe found, or exactly why it failed (the server's stable code, in words). */
export function ProbeOutcome({ r }: { r: ProbeResult }) {
  return r.ok ? (
    <div
      role="status"
      className="flex gap-2 rounded-lg border border-success/30 bg-success/10 p-3 text-[13px]"
      data-probe="ok"
    >
      <CheckCircle2 className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
      <span className="grid gap-0.5">
        <span className="font-medium">
          Connected to {r.identity ?? 'the router'} in {r.duration_ms} ms
        </span>
        <span className="text-xs text-muted-foreground">
          {[r.model ?? r.board_name, r.version && `RouterOS ${r.version}`, r.transport].filter(Boolean).join(' · ')}
        </span>
      </span>
    </div>
  ) : (
    <div
      role="alert"
      className="flex gap-2 rounded-lg border border-destructive/30 bg-destructive/10 p-3 text-[13px]"
      data-probe={r.code}
    >
      <XCircle className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
      <span className="grid gap-0.5">
        <span className="font-medium">{reasonText[r.code] ?? 'The probe failed'}</span>
        <span className="text-xs text-muted-foreground">
          <code className="font-mono">{r.code}</code>: {r.detail}
        </span>
      </span>
    </div>
  );
}

/**
 * Add one router: the form probes it live (address, ports, TLS, login) before saving, and shows the precise
 * failure. A device that cannot be reached yet can still be added on purpose.
 */
export function AddDeviceForm(props: {
  tenantId: string;
  onAdded: (d: Device) => void;
  onCancel?: () => void;
  submitLabel?: string;
  /** Starting values (a neighbour being adopted from the topology). */
  initial?: { host?: string; name?: string };
}) {
  const queryClient = useQueryClient();
  const [f, setF] = useState({
    name: props.initial?.name ?? '',
    host: props.initial?.host ?? '',
    port: '8728',
    tls_port: '8729',
    /** Configuration backups run over SSH; the live probe uses the API only. */
    ssh_port: '22',
    tls_mode: 'auto' as Tls,
    username: 'admin',
    password: '',
    /** 'manual' (username + password here) or a credential profile's id. */
    login: 'manual',
  });
  // Shared logins: offered only to roles that may read them, and only when the organisation has some.
  const canProfiles = useCan('credential_profiles.read');
  const profiles = useQuery({ ...inventoryQuery(props.tenantId, 'credential-profiles'), enabled: canProfiles });
  const profileOptions = (profiles.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.username})` }));
  const [probe, setProbe] = useState<ProbeResult | null>(null);
  const [busy, setBusy] = useState<'probe' | 'add' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setF({ ...f, [k]: e.target.value });
    setProbe(null);
  };
  const endpoint: Endpoint = {
    host: f.host.trim(),
    port: Number(f.port),
    tls_port: Number(f.tls_port),
    tls_mode: f.tls_mode,
    ...(f.login === 'manual' ? { username: f.username, password: f.password } : { credential_profile_id: f.login }),
  };

  async function runProbe(): Promise<ProbeResult | null> {
    setBusy('probe');
    setError(null);
    try {
      const r = await probeDevice(props.tenantId, endpoint);
      setProbe(r);
      return r;
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
      return null;
    } finally {
      setBusy(null);
    }
  }

  async function add(force: boolean) {
    let r = probe;
    if (!force && !r) {
      r = await runProbe();
      if (!r?.ok) return;
    }
    setBusy('add');
    try {
      const d = await runMutation(queryClient, createDevice, {
        tenantId: props.tenantId,
        body: { ...endpoint, ssh_port: Number(f.ssh_port), name: f.name.trim() || r?.identity || f.host.trim() },
        probe: !force,
      });
      toast.success('Device added', d.name);
      props.onAdded(d);
    } catch (e) {
      setError(e instanceof ApiError ? e : null);
    } finally {
      setBusy(null);
    }
  }

  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void add(false);
      }}
      className="grid gap-4"
    >
      <div className="grid gap-3 sm:grid-cols-[1fr_90px_90px_90px]">
        <Field id="dev-host" label="Address" error={error?.field('host')}>
          <Input
            id="dev-host"
            autoFocus
            placeholder="192.0.2.1 or router.example.net"
            value={f.host}
            onChange={set('host')}
          />
        </Field>
        <Field id="dev-port" label="API port" error={error?.field('port')}>
          <Input id="dev-port" inputMode="numeric" value={f.port} onChange={set('port')} />
        </Field>
        <Field id="dev-tls-port" label="TLS port" error={error?.field('tls_port')}>
          <Input id="dev-tls-port" inputMode="numeric" value={f.tls_port} onChange={set('tls_port')} />
        </Field>
        <Field id="dev-ssh-port" label="SSH port" error={error?.field('ssh_port')}>
          <Input id="dev-ssh-port" inputMode="numeric" value={f.ssh_port} onChange={set('ssh_port')} />
        </Field>
      </div>
      <Field id="dev-tls" label="TLS mode">
        <Select
          id="dev-tls"
          value={f.tls_mode}
          onValueChange={(v) => {
            setF({ ...f, tls_mode: v as Tls });
            setProbe(null);
          }}
          options={tlsOptions}
        />
      </Field>
      {profileOptions.length ? (
        <Field id="dev-login" label="Login" error={error?.field('credential_profile_id')}>
          <Select
            id="dev-login"
            value={f.login}
            onValueChange={(v) => {
              setF({ ...f, login: v });
              setProbe(null);
            }}
            options={[{ value: 'manual', label: 'Username and password' }, ...profileOptions]}
          />
        </Field>
      ) : null}
      {f.login === 'manual' ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <Field id="dev-user" label="Username" error={error?.field('username')}>
            <Input id="dev-user" value={f.username} onChange={set('username')} autoComplete="off" />
          </Field>
          <Field id="dev-pass" label="Password" error={error?.field('password')}>
            <Input
              id="dev-pass"
              type="password"
              value={f.password}
              onChange={set('password')}
              autoComplete="new-password"
            />
          </Field>
        </div>
      ) : null}
      <Field
        id="dev-name"
        label="Name"
        hint="Optional: the router's identity is used when blank"
        error={error?.field('name')}
      >
        <Input id="dev-name" value={f.name} onChange={set('name')} />
      </Field>
      {probe ? <ProbeOutcome r={probe} /> : null}
      {error && !error.fieldErrors.length ? (
        <p role="alert" className="text-xs text-destructive">
          {error.detail}
        </p>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        {props.onCancel ? (
          <Button variant="ghost" onClick={props.onCancel}>
            Cancel
          </Button>
        ) : null}
        <Button disabled={!f.host.trim() || busy !== null} onClick={() => void runProbe()}>
          {busy === 'probe' ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Test connection
        </Button>
        {probe && !probe.ok ? (
          <Button disabled={busy !== null} onClick={() => void add(true)}>
            Add anyway
          </Button>
        ) : null}
        <Button type="submit" variant="primary" disabled={!f.host.trim() || busy !== null}>
          {busy === 'add' ? <Loader2 className="animate-spin" aria-hidden /> : null}
          {props.submitLabel ?? 'Add device'}
        </Button>
      </div>
    </form>
  );
}
