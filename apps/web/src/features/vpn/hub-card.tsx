import { TriangleAlert } from 'lucide-react';
import { useEffect, useState } from 'react';
import { saveHub, type VpnHub } from '@/api/vpn';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { ago } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { CopyButton } from './copy-button';
import { applied } from './words';

/** The organisation's hub: what routers dial, its key and block, what the hub host did; its settings for admins. */
export function HubCard(props: { tenantId: string; hub: VpnHub | undefined; pending: boolean }) {
  const h = props.hub;
  const save = useApiMutation(saveHub, { success: () => 'Hub saved' });
  if (props.pending || !h) {
    return (
      <Card>
        <CardHeader title="Hub" />
        <div className="p-4">
          <Skeleton className="h-16" />
        </div>
      </Card>
    );
  }
  if (!h.configured || !h.hub) {
    return (
      <Card>
        <CardHeader title="Hub" />
        <EmptyState
          icon={TriangleAlert}
          title="No hub yet"
          action={
            h.policies.write ? (
              <Button
                variant="primary"
                disabled={save.isPending}
                onClick={() => save.mutate({ tenantId: props.tenantId, body: {} })}
              >
                Set up the hub
              </Button>
            ) : null
          }
        >
          Setting it up makes this organisation's key pair, its address block and its port on the hub.
        </EmptyState>
      </Card>
    );
  }
  const hub = h.hub;
  const facts: Array<[string, React.ReactNode]> = [
    ['Endpoint', hub.endpoint_host ? `${hub.endpoint_host}:${hub.listen_port}` : 'None: set an endpoint host'],
    ['Address block', hub.network],
    ['TOD’s address', hub.hub_address],
    ['Hub interface', hub.interface],
    ['Peers', `${h.peers_count} (${h.connected_count} connected)`],
  ];
  return (
    <Card aria-label="Hub">
      <CardHeader title="Hub" description={applied(h)} />
      <div className="grid gap-4 p-4 lg:grid-cols-[1fr_auto]">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-[13px]" aria-label="Hub settings">
          <dt className="text-muted-foreground">Public key</dt>
          <dd className="flex items-center gap-2">
            <code className="font-mono text-xs break-all" data-public-key>
              {hub.public_key}
            </code>
            <CopyButton text={hub.public_key} label="Copy public key" size="icon-sm" />
          </dd>
          {facts.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-muted-foreground">{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
          <dt className="text-muted-foreground">Handshakes</dt>
          <dd>{h.status.status_at ? `read ${ago(h.status.status_at)}` : 'not available from the hub yet'}</dd>
        </dl>
        {h.policies.write ? <HubSettingsForm tenantId={props.tenantId} hub={h} /> : null}
      </div>
      {!h.onboarding.available ? (
        <p className="mx-4 mb-4 flex items-start gap-2 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-xs text-warning">
          <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden />
          Routers cannot be onboarded until they have a public host to dial: set the endpoint host.
        </p>
      ) : null}
    </Card>
  );
}

function HubSettingsForm({ tenantId, hub }: { tenantId: string; hub: VpnHub }) {
  const h = hub.hub;
  const [endpoint, setEndpoint] = useState(h?.endpoint_host_override ?? '');
  const [keepalive, setKeepalive] = useState(String(h?.keepalive_seconds ?? 25));
  const [iface, setIface] = useState(h?.router_interface ?? 'tod-wg');
  useEffect(() => {
    setEndpoint(h?.endpoint_host_override ?? '');
    setKeepalive(String(h?.keepalive_seconds ?? 25));
    setIface(h?.router_interface ?? 'tod-wg');
  }, [h?.endpoint_host_override, h?.keepalive_seconds, h?.router_interface]);
  const save = useApiMutation(saveHub, { success: () => 'Hub settings saved', silentErrors: true });
  return (
    <form
      noValidate
      aria-label="Hub settings form"
      className="grid w-full gap-3 lg:w-72"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          tenantId,
          body: {
            endpoint_host: endpoint.trim() === '' ? null : endpoint.trim(),
            keepalive_seconds: Number(keepalive),
            router_interface: iface.trim(),
          },
        });
      }}
    >
      <Field
        id="vpn-endpoint"
        label="Endpoint host"
        hint="The public name or address routers dial; empty: the server's default"
        error={save.error?.field('endpoint_host')}
      >
        <Input
          id="vpn-endpoint"
          value={endpoint}
          onChange={(e) => setEndpoint(e.target.value)}
          placeholder="vpn.example.net"
        />
      </Field>
      <Field id="vpn-keepalive" label="Keepalive (seconds)" error={save.error?.field('keepalive_seconds')}>
        <Input
          id="vpn-keepalive"
          type="number"
          min={0}
          max={3600}
          value={keepalive}
          onChange={(e) => setKeepalive(e.target.value)}
        />
      </Field>
      <Field
        id="vpn-router-interface"
        label="Interface name on routers"
        error={
          save.error?.field('router_interface') ??
          (save.error && save.error.fieldErrors.length === 0 ? save.error.detail : undefined)
        }
      >
        <Input id="vpn-router-interface" value={iface} onChange={(e) => setIface(e.target.value)} />
      </Field>
      <Button type="submit" disabled={save.isPending}>
        Save settings
      </Button>
    </form>
  );
}
