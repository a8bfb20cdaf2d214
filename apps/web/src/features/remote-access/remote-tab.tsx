import { useQuery } from '@tanstack/react-query';
import { Copy, MonitorSmartphone } from 'lucide-react';
import { useState } from 'react';
import {
  endSession,
  openWinbox,
  type RemoteSession,
  remoteSessionsQuery,
  transcriptOf,
  type WinboxTunnel,
} from '@/api/remote-access';
import { useCan } from '@/auth/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { useApiMutation } from '@/lib/mutation';
import type { DeviceTabProps } from '../feature';
import { bytes, duration } from '../fleet/format';
import { RemoteSettingsCard } from './settings-card';
import { TerminalView } from './terminal-view';

// Remote access to one device: its terminal in the browser, a WinBox tunnel for the desktop app, and the sessions
// people opened (live ones can be ended by their owner or an admin; an admin reads recorded transcripts).

/** Sessions are often shorter than a minute: seconds until then. */
const lasted = (s: number | null) => (s !== null && s < 60 ? `${s}s` : duration(s));

function WinboxCard({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  const [tunnel, setTunnel] = useState<WinboxTunnel | null>(null);
  const open = useApiMutation(openWinbox, { success: () => 'WinBox tunnel open' });
  return (
    <Card aria-label="WinBox">
      <CardHeader
        title="WinBox"
        description="A tunnel from TOD to the router's WinBox port that only your address may use. It closes when idle."
      />
      <div className="flex flex-wrap items-center gap-3 p-4 pt-0">
        <Button
          onClick={() => open.mutate({ tenantId, deviceId }, { onSuccess: (t) => setTunnel(t) })}
          disabled={open.isPending}
        >
          <MonitorSmartphone aria-hidden />
          Open WinBox tunnel
        </Button>
        {tunnel ? (
          <span className="flex items-center gap-2 text-sm" data-winbox-uri>
            <a className="font-mono underline" href={tunnel.uri}>
              {tunnel.uri}
            </a>
            <Button
              variant="ghost"
              size="icon-sm"
              aria-label="Copy address"
              onClick={() => void navigator.clipboard.writeText(`${tunnel.host}:${tunnel.port}`)}
            >
              <Copy aria-hidden />
            </Button>
            <span className="text-muted-foreground text-xs">
              In WinBox, connect to {tunnel.host}:{tunnel.port}. Closes after {duration(tunnel.idle_timeout_seconds)}{' '}
              without traffic.
            </span>
          </span>
        ) : null}
      </div>
    </Card>
  );
}

function Sessions({ tenantId, deviceId }: { tenantId: string; deviceId: string }) {
  const list = useQuery(remoteSessionsQuery(tenantId, deviceId));
  const end = useApiMutation(endSession, { success: () => 'Session ended' });
  const [transcript, setTranscript] = useState<{ id: string; text: string } | null>(null);
  const items = list.data?.items ?? [];
  const show = async (s: RemoteSession) =>
    setTranscript({ id: s.id, text: (await transcriptOf(tenantId, deviceId, s.id)).text });
  return (
    <Card aria-label="Sessions">
      <CardHeader title="Sessions" description="Terminals and WinBox tunnels opened to this device, newest first." />
      {items.length === 0 ? (
        <p className="text-muted-foreground p-4 pt-0 text-sm">No remote sessions yet.</p>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Kind</Th>
              <Th>Who</Th>
              <Th>State</Th>
              <Th>Opened</Th>
              <Th className="text-right">Duration</Th>
              <Th className="text-right">In / out</Th>
              <Th />
            </tr>
          </THead>
          <TBody>
            {items.map((s) => (
              <tr key={s.id} data-session={s.id} data-session-state={s.state} data-session-kind={s.kind}>
                <Td>{s.kind === 'ssh' ? 'Terminal' : 'WinBox'}</Td>
                <Td>{s.actor_label}</Td>
                <Td>
                  <Badge tone={s.state === 'open' ? 'success' : s.state === 'pending' ? 'info' : 'neutral'}>
                    {s.state === 'closed' ? `closed: ${s.close_reason ?? ''}` : s.state}
                  </Badge>
                </Td>
                <Td>{s.opened_at ? new Date(s.opened_at).toLocaleString() : '—'}</Td>
                <Td className="text-right">{lasted(s.duration_seconds)}</Td>
                <Td className="text-right tabular-nums">
                  {bytes(s.bytes_in)} / {bytes(s.bytes_out)}
                </Td>
                <Td className="text-right">
                  {s.policies.end ? (
                    <Button size="sm" variant="ghost" onClick={() => end.mutate({ tenantId, deviceId, session: s })}>
                      End
                    </Button>
                  ) : null}
                  {s.policies.read_transcript ? (
                    <Button size="sm" variant="ghost" onClick={() => void show(s)}>
                      Transcript
                    </Button>
                  ) : null}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {transcript ? (
        <pre className="bg-muted m-4 mt-0 max-h-80 overflow-auto rounded p-2 text-xs" data-transcript={transcript.id}>
          {transcript.text}
        </pre>
      ) : null}
    </Card>
  );
}

export default function RemoteTab({ tenantId, deviceId }: DeviceTabProps) {
  const canConnect = useCan('remote.connect');
  return (
    <div className="grid gap-4">
      {canConnect ? (
        <Card aria-label="Terminal">
          <CardHeader title="Terminal" description="The router's command line, through TOD." />
          <div className="p-4 pt-0">
            <TerminalView tenantId={tenantId} deviceId={deviceId} />
          </div>
        </Card>
      ) : null}
      {canConnect ? <WinboxCard tenantId={tenantId} deviceId={deviceId} /> : null}
      <Sessions tenantId={tenantId} deviceId={deviceId} />
      <RemoteSettingsCard tenantId={tenantId} />
    </div>
  );
}
