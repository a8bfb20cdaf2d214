import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Loader2, Radar } from 'lucide-react';
import { useRef, useState } from 'react';
import { bulkAddDevices, type ScanHit, scanDevices } from '@/api/devices';
import { ApiError, toApiError } from '@/api/errors';
import { runMutation } from '@/api/mutation';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { toast } from '@/components/ui/toast';
import { BackToDevices } from './add-device-page';

/** Subnet scan: hits appear as the server finds them; the chosen ones are adopted in one bulk add. */
export function ScanPage() {
  const { current } = useTenants();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [f, setF] = useState({ cidr: '', port: '8728', username: 'admin', password: '' });
  const [hits, setHits] = useState<ScanHit[]>([]);
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [state, setState] = useState<'idle' | 'scanning' | 'done'>('idle');
  const [summary, setSummary] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [adopting, setAdopting] = useState(false);
  const abort = useRef<AbortController | null>(null);
  if (!current) return <NoOrganisation />;
  const tenantId = current.id;
  const set = (k: keyof typeof f) => (e: React.ChangeEvent<HTMLInputElement>) => setF({ ...f, [k]: e.target.value });

  async function scan() {
    abort.current?.abort();
    const ctl = new AbortController();
    abort.current = ctl;
    setHits([]);
    setChosen(new Set());
    setSummary(null);
    setError(null);
    setState('scanning');
    try {
      const body = {
        cidr: f.cidr.trim(),
        port: Number(f.port),
        ...(f.username ? { username: f.username, password: f.password } : {}),
      };
      for await (const m of scanDevices(tenantId, body, ctl.signal)) {
        if (m.type === 'hit') {
          setHits((h) => [...h, m.hit]);
          if (m.hit.routeros) setChosen((c) => new Set(c).add(m.hit.address));
        } else
          setSummary(`Scanned ${m.scanned} addresses in ${(m.duration_ms / 1000).toFixed(1)} s: ${m.found} answered.`);
      }
      setState('done');
    } catch (e) {
      if (ctl.signal.aborted) return;
      setError(e instanceof ApiError ? e : toApiError(0, undefined));
      setState('idle');
    }
  }

  async function adopt() {
    setAdopting(true);
    try {
      const devices = hits
        .filter((h) => chosen.has(h.address))
        .map((h) => ({ host: h.address, port: Number(f.port), ...(h.identity ? { name: h.identity } : {}) }));
      const r = await runMutation(queryClient, bulkAddDevices, {
        tenantId,
        body: { devices, username: f.username, password: f.password },
      });
      if (r.failed) toast.error(`Added ${r.added}, ${r.failed} failed`, r.rows.find((x) => !x.ok)?.error);
      else toast.success(`Added ${r.added} device${r.added === 1 ? '' : 's'}`);
      await navigate({ to: '/devices' });
    } catch (e) {
      toast.error('Could not add them', e instanceof ApiError ? e.detail : String(e));
    } finally {
      setAdopting(false);
    }
  }

  return (
    <RequirePermission permission="devices.scan">
      <BackToDevices />
      <PageHeader
        title="Scan a subnet"
        description="Knocks on the RouterOS API ports of every address in an IPv4 network (at most /20) and lists what answers."
      />
      <Card className="p-4">
        <form
          className="grid gap-3 sm:grid-cols-[1fr_90px_1fr_1fr_auto] sm:items-end"
          onSubmit={(e) => {
            e.preventDefault();
            void scan();
          }}
        >
          <Field
            id="scan-cidr"
            label="Network"
            error={error?.field('cidr') ?? (error && !error.fieldErrors.length ? error.detail : undefined)}
          >
            <Input id="scan-cidr" placeholder="192.0.2.0/24" value={f.cidr} onChange={set('cidr')} />
          </Field>
          <Field id="scan-port" label="API port">
            <Input id="scan-port" inputMode="numeric" value={f.port} onChange={set('port')} />
          </Field>
          <Field id="scan-user" label="Username">
            <Input id="scan-user" value={f.username} onChange={set('username')} autoComplete="off" />
          </Field>
          <Field id="scan-pass" label="Password">
            <Input
              id="scan-pass"
              type="password"
              value={f.password}
              onChange={set('password')}
              autoComplete="new-password"
            />
          </Field>
          <Button type="submit" variant="primary" disabled={!f.cidr.trim() || state === 'scanning'}>
            {state === 'scanning' ? <Loader2 className="animate-spin" aria-hidden /> : <Radar aria-hidden />}
            Scan
          </Button>
        </form>
      </Card>
      {state !== 'idle' || hits.length ? (
        <Card className="mt-4">
          <CardHeader
            title={state === 'scanning' ? `Scanning… ${hits.length} found so far` : `${hits.length} found`}
            description={summary ?? 'Results appear as they are found.'}
            actions={
              <Button
                variant="primary"
                size="sm"
                disabled={!chosen.size || adopting || state === 'scanning'}
                onClick={() => void adopt()}
              >
                {adopting ? <Loader2 className="animate-spin" aria-hidden /> : null}
                Add {chosen.size} selected
              </Button>
            }
          />
          <Table aria-label="Scan results" aria-live="polite">
            <THead>
              <tr>
                <Th className="w-10">
                  <span className="sr-only">Adopt</span>
                </Th>
                <Th>Address</Th>
                <Th>Identity</Th>
                <Th>Model</Th>
                <Th>Version</Th>
                <Th>Login</Th>
              </tr>
            </THead>
            <TBody>
              {hits.map((h) => (
                <tr key={h.address} data-scan-hit={h.address}>
                  <Td>
                    <input
                      type="checkbox"
                      aria-label={`Adopt ${h.address}`}
                      className="size-3.5 accent-foreground"
                      checked={chosen.has(h.address)}
                      onChange={() =>
                        setChosen((c) => {
                          const n = new Set(c);
                          if (n.has(h.address)) n.delete(h.address);
                          else n.add(h.address);
                          return n;
                        })
                      }
                    />
                  </Td>
                  <Td className="font-mono text-xs">{h.address}</Td>
                  <Td>{h.identity ?? (h.routeros ? 'RouterOS' : 'not RouterOS')}</Td>
                  <Td>{h.model ?? '—'}</Td>
                  <Td>{h.version ?? '—'}</Td>
                  <Td className="text-muted-foreground">{h.login ?? h.detail ?? '—'}</Td>
                </tr>
              ))}
            </TBody>
          </Table>
        </Card>
      ) : null}
    </RequirePermission>
  );
}
