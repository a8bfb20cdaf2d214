import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Wifi } from 'lucide-react';
import { useState } from 'react';
import { type Registration, registrationsQuery, rfStatsQuery, unknownClientsQuery } from '@/api/wireless';
import { Badge } from '@/components/ui/badge';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Skeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import type { DeviceTabProps } from '../feature';
import { duration } from '../fleet/format';
import { linkStateLabel, linkStateTone } from '../sites/words';
import { SignalPanel } from './signal-panel';
import { db, dbm, pct, text } from './words';

// A device's radios: RF figures per wireless interface, its registrations (an AP's clients, or for a CPE the AP
// it is associated with), and clients TOD does not manage. Choosing a registration opens its signal history.

export default function WirelessTab({ tenantId, deviceId }: DeviceTabProps) {
  const rf = useQuery(rfStatsQuery(tenantId, deviceId));
  const regs = useQuery(registrationsQuery(tenantId, deviceId));
  const unknown = useQuery(unknownClientsQuery(tenantId, deviceId));
  const [chosen, setChosen] = useState<{ mac: string; name: string } | null>(null);

  if (rf.isPending || regs.isPending) return <Skeleton className="h-48" />;
  const radios = rf.data ?? [];
  const registrations = regs.data ?? [];
  const strangers = unknown.data ?? [];
  if (radios.length === 0 && registrations.length === 0)
    return (
      <Card>
        <EmptyState icon={Wifi} title="No radios">
          This device reports no wireless interfaces and no registrations. Radios show here after the next wireless poll
          of a device that has them.
        </EmptyState>
      </Card>
    );
  const open = (r: Registration) =>
    setChosen({ mac: r.mac_address, name: r.peer_name ?? r.radio_name ?? r.mac_address });

  return (
    <div className="grid gap-4">
      <Card aria-label="Radios" data-radios>
        <CardHeader title="Radios" description="RF figures per wireless interface, from the last wireless poll." />
        <Table>
          <THead>
            <tr>
              <Th>Interface</Th>
              <Th>Mode</Th>
              <Th>SSID</Th>
              <Th>Frequency</Th>
              <Th>Band</Th>
              <Th>Width</Th>
              <Th className="text-right">Noise floor</Th>
              <Th className="text-right">CCQ</Th>
              <Th className="text-right">Clients</Th>
            </tr>
          </THead>
          <TBody>
            {radios.map((r) => (
              <tr key={r.interface} data-radio={r.interface}>
                <Td className="font-medium">{r.interface}</Td>
                <Td>{text(r.mode)}</Td>
                <Td>{text(r.ssid)}</Td>
                <Td className="tabular-nums">{text(r.frequency)}</Td>
                <Td>{text(r.band)}</Td>
                <Td>{text(r.channel_width)}</Td>
                <Td className="text-right tabular-nums">{dbm(r.noise_floor)}</Td>
                <Td className="text-right tabular-nums">{pct(r.ccq)}</Td>
                <Td className="text-right tabular-nums">{text(r.clients)}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      </Card>
      <Registrations
        title="Registrations"
        description="Choose one to see its signal over time."
        items={registrations}
        onOpen={open}
        chosen={chosen?.mac}
      />
      {chosen ? (
        <SignalPanel
          key={chosen.mac}
          tenantId={tenantId}
          deviceId={deviceId}
          mac={chosen.mac}
          name={chosen.name}
          onClose={() => setChosen(null)}
        />
      ) : null}
      {strangers.length ? (
        <Registrations
          title="Unknown clients"
          description="Registered here, but their MAC matches no device TOD manages."
          items={strangers}
          onOpen={open}
          chosen={chosen?.mac}
        />
      ) : null}
    </div>
  );
}

function Registrations(props: {
  title: string;
  description: string;
  items: Registration[];
  onOpen: (r: Registration) => void;
  chosen?: string;
}) {
  return (
    <Card aria-label={props.title} data-registrations={props.title}>
      <CardHeader title={props.title} description={props.description} />
      {props.items.length === 0 ? (
        <p className="p-4 text-[13px] text-muted-foreground">None.</p>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th>Peer</Th>
              <Th>Role</Th>
              <Th>Interface</Th>
              <Th>State</Th>
              <Th className="text-right">Signal</Th>
              <Th className="text-right">SNR</Th>
              <Th className="text-right">CCQ</Th>
              <Th>Rates (tx / rx)</Th>
              <Th className="text-right">Uptime</Th>
            </tr>
          </THead>
          <TBody>
            {props.items.map((r) => (
              <tr
                key={`${r.interface}-${r.mac_address}`}
                data-registration={r.mac_address}
                aria-selected={props.chosen === r.mac_address}
              >
                <Td className="font-medium">
                  <button
                    type="button"
                    className="text-left hover:underline"
                    onClick={() => props.onOpen(r)}
                    aria-label={`Signal of ${r.peer_name ?? r.mac_address}`}
                  >
                    {r.peer_name ?? r.radio_name ?? r.mac_address}
                  </button>
                  <div className="font-mono text-xs text-muted-foreground">{r.mac_address}</div>
                  {r.peer_device_id ? (
                    <Link
                      to="/devices/$deviceId/$tab"
                      params={{ deviceId: r.peer_device_id, tab: 'wireless' }}
                      className="text-xs text-muted-foreground hover:underline"
                    >
                      Open device
                    </Link>
                  ) : null}
                </Td>
                <Td>{r.role === 'ap' ? 'AP (this device is its client)' : 'Client'}</Td>
                <Td>{r.interface}</Td>
                <Td>
                  <Badge tone={linkStateTone[r.state]}>{linkStateLabel[r.state]}</Badge>
                </Td>
                <Td className="text-right tabular-nums">{dbm(r.signal)}</Td>
                <Td className="text-right tabular-nums">{db(r.snr)}</Td>
                <Td className="text-right tabular-nums">{pct(r.tx_ccq)}</Td>
                <Td className="whitespace-nowrap">
                  {text(r.tx_rate)} / {text(r.rx_rate)}
                </Td>
                <Td className="text-right tabular-nums">{duration(r.uptime_seconds)}</Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
    </Card>
  );
}
