import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Crosshair, ExternalLink, Plus, Star, X } from 'lucide-react';
import type * as React from 'react';
import { setCores, type Topology, type TopologyEdge, type TopologyNode, upstreamQuery } from '@/api/topology';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';
import { ago } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import type { Selection } from './canvas';
import { ports, protocolName, stateLabel, stateText, toneDot, toneLabel, toneOf } from './words';

// The side panel of the topology: what was clicked. A device (status, model, version, its page, its path from the
// core, focus, mark as core), a neighbour TOD does not manage (what its neighbours say about it, and Adopt, which
// opens the add-device form with its address and identity), or a link with its evidence.

type Props = {
  tenantId: string;
  graph: Topology;
  selection: Selection;
  onFocus: (id: string) => void;
  onClose: () => void;
};

export function SidePanel(props: Props) {
  const { graph, selection } = props;
  const node = selection.kind === 'node' ? graph.nodes.find((n) => n.id === selection.id) : undefined;
  const edge = selection.kind === 'edge' ? graph.edges.find((e) => e.id === selection.id) : undefined;
  if (!node && !edge) return null;
  const title = node ? node.label : 'Link';
  return (
    <aside
      aria-label={node ? `Details of ${node.label}` : 'Details of the link'}
      data-panel={selection.kind}
      className="grid content-start gap-4 overflow-y-auto rounded-lg border bg-card p-4 text-[13px] shadow-xs"
    >
      <header className="flex items-start justify-between gap-2">
        <h2 className="min-w-0 truncate text-sm font-semibold">{title}</h2>
        <Button variant="ghost" size="icon-sm" aria-label="Close details" onClick={props.onClose}>
          <X aria-hidden />
        </Button>
      </header>
      {node?.managed ? <DeviceDetails {...props} node={node} /> : null}
      {node && !node.managed ? <NeighbourDetails node={node} onFocus={props.onFocus} /> : null}
      {edge ? <LinkDetails graph={graph} edge={edge} /> : null}
    </aside>
  );
}

function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
  return (
    <dl className="grid grid-cols-[96px_1fr] gap-x-3 gap-y-1.5">
      {shown.map(([k, v]) => (
        <div key={k} className="contents">
          <dt className="text-muted-foreground">{k}</dt>
          <dd className="min-w-0 break-words">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

function Status({ node }: { node: Pick<TopologyNode, 'managed' | 'status'> }) {
  const tone = toneOf(node);
  return (
    <span className="inline-flex items-center gap-1.5" data-status={tone}>
      <span aria-hidden className={cn('size-2 rounded-full', toneDot[tone])} />
      {toneLabel[tone]}
    </span>
  );
}

function DeviceDetails({ tenantId, graph, node, onFocus }: Props & { node: TopologyNode }) {
  const deviceId = node.device_id!;
  const core = graph.cores.find((c) => c.device_id === deviceId);
  const named = graph.cores.filter((c) => c.named).map((c) => c.device_id);
  const save = useApiMutation(setCores, {
    success: (r) => (r.device_ids.includes(deviceId) ? `${node.label} is a core` : `${node.label} is no longer a core`),
  });
  return (
    <>
      <Facts
        rows={[
          ['Status', <Status key="s" node={node} />],
          ['Model', node.model ?? node.board],
          ['RouterOS', node.version],
          ['Address', node.address],
          ['Core', core ? (core.named ? 'Yes (named)' : 'Yes (inferred)') : null],
          ['Site', node.external ? 'Another site' : null],
        ]}
      />
      <div className="flex flex-wrap gap-2">
        <Button asChild size="sm">
          <Link to="/devices/$deviceId" params={{ deviceId }}>
            <ExternalLink aria-hidden /> Open device
          </Link>
        </Button>
        <Button size="sm" onClick={() => onFocus(node.id)}>
          <Crosshair aria-hidden /> Focus
        </Button>
        {graph.policies.set_core ? (
          <Button
            size="sm"
            disabled={save.isPending}
            onClick={() =>
              save.mutate({
                tenantId,
                body: {
                  device_ids: named.includes(deviceId) ? named.filter((id) => id !== deviceId) : [...named, deviceId],
                },
              })
            }
          >
            <Star aria-hidden /> {named.includes(deviceId) ? 'Unmark as core' : 'Mark as core'}
          </Button>
        ) : null}
      </div>
      <UpstreamPath tenantId={tenantId} graph={graph} deviceId={deviceId} />
    </>
  );
}

/** The path from the core to the device, hop by hop, with the state of the link each hop is reached over. */
function UpstreamPath({ tenantId, graph, deviceId }: { tenantId: string; graph: Topology; deviceId: string }) {
  const q = useQuery(upstreamQuery(tenantId, deviceId));
  // Statuses from the graph, which live updates keep current.
  const live = new Map(graph.nodes.map((n) => [n.id, n]));
  return (
    <section aria-label="Path from the core" className="grid gap-2" data-upstream>
      <h3 className="text-xs font-semibold text-muted-foreground uppercase">Path from the core</h3>
      {q.isPending ? (
        <p className="text-muted-foreground">Loading…</p>
      ) : q.error ? (
        <p role="alert" className="text-destructive">
          {q.error.message}
        </p>
      ) : !q.data.core || q.data.path.length === 0 ? (
        // TOD gives a device with no links no place in any network (no core, no path).
        <p className="text-muted-foreground">No links to other devices yet.</p>
      ) : (
        <>
          <p className="text-muted-foreground">
            {q.data.hops
              ? `${q.data.hops} ${q.data.hops === 1 ? 'hop' : 'hops'} from the core${q.data.via_down ? ', over a link that is down' : ''}.`
              : 'This device is the core.'}
          </p>
          <ol className="grid gap-1">
            {q.data.path.map((hop) => (
              <li key={hop.node_id} className="grid gap-0.5" data-hop={hop.label}>
                {hop.edge_state ? (
                  <span
                    className={cn(
                      'pl-[3px] text-[11px] text-muted-foreground',
                      hop.edge_state === 'down' && 'text-destructive',
                    )}
                  >
                    ↓ link {stateLabel[hop.edge_state].toLowerCase()}
                  </span>
                ) : null}
                <span className="flex items-center gap-2">
                  <span
                    aria-hidden
                    className={cn(
                      'size-2 rounded-full',
                      toneDot[
                        toneOf({ managed: hop.device_id !== null, status: live.get(hop.node_id)?.status ?? hop.status })
                      ],
                    )}
                  />
                  {hop.device_id && hop.device_id !== deviceId ? (
                    <Link to="/devices/$deviceId" params={{ deviceId: hop.device_id }} className="hover:underline">
                      {hop.label}
                    </Link>
                  ) : (
                    <span>{hop.label}</span>
                  )}
                </span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function NeighbourDetails({ node, onFocus }: { node: TopologyNode; onFocus: (id: string) => void }) {
  const canAdd = useCan('devices.write');
  return (
    <>
      <p className="text-muted-foreground">
        A neighbour your routers see that TOD does not manage. Adopt it to poll it, back it up and draw its own links.
      </p>
      <Facts
        rows={[
          ['Status', <Status key="s" node={node} />],
          [
            'MAC',
            node.mac ? (
              <span key="mac" className="font-mono text-xs">
                {node.mac}
              </span>
            ) : null,
          ],
          ['Address', node.address],
          ['Identity', node.identity],
          ['Platform', node.platform],
          ['Board', node.board],
          ['Version', node.version],
        ]}
      />
      <div className="flex flex-wrap gap-2">
        {canAdd ? (
          <Button asChild size="sm" variant="primary">
            <Link
              to="/devices/new"
              search={{
                ...(node.address ? { host: node.address } : {}),
                ...(node.identity ? { name: node.identity } : {}),
              }}
            >
              <Plus aria-hidden /> Adopt
            </Link>
          </Button>
        ) : null}
        <Button size="sm" onClick={() => onFocus(node.id)}>
          <Crosshair aria-hidden /> Focus
        </Button>
      </div>
    </>
  );
}

function LinkDetails({ graph, edge }: { graph: Topology; edge: TopologyEdge }) {
  const label = (id: string) => graph.nodes.find((n) => n.id === id)?.label ?? id;
  return (
    <>
      <Facts
        rows={[
          ['Between', `${label(edge.source)} and ${label(edge.target)}`],
          ['Kind', edge.kind === 'wireless' ? 'Wireless' : 'Wired'],
          [
            'State',
            <span key="s" className={cn(edge.state === 'down' && 'text-destructive')}>
              {stateText(edge)}
            </span>,
          ],
          ['Last seen', ago(edge.last_seen)],
        ]}
      />
      <section aria-label="Evidence" className="grid gap-2">
        <h3 className="text-xs font-semibold text-muted-foreground uppercase">Evidence</h3>
        <table className="w-full text-left text-xs" data-evidence>
          <thead className="text-muted-foreground">
            <tr>
              <th className="py-1 font-medium">Seen by</th>
              <th className="py-1 font-medium">
                {label(edge.source)} → {label(edge.target)}
              </th>
              <th className="py-1 font-medium">When</th>
            </tr>
          </thead>
          <tbody>
            {edge.evidence.map((x) => (
              <tr key={`${x.protocol}|${x.source_interface}|${x.target_interface}`} className="border-t">
                <td className="py-1">{protocolName(x.protocol)}</td>
                <td className="py-1 font-mono">{ports(x)}</td>
                <td className="py-1">{x.gone_at ? `gone ${ago(x.gone_at)}` : ago(x.last_seen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
