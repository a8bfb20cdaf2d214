import { Link } from '@tanstack/react-router';
import { ExternalLink, MapPin, X } from 'lucide-react';
import type * as React from 'react';
import { useMemo, useState } from 'react';
import type { Device } from '@/api/devices';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { type LatLon, type Place, type Site, type Tone, toneOf } from './places';

// The map's side panel: what is selected (a site with its devices, a device, or the places sharing one spot), or,
// with nothing selected, what is not on the map yet, each a click away from being given a location.

export type MapSelection = { kind: 'site' | 'device'; id: string } | { kind: 'many'; places: Place[] };

const toneDot: Record<Tone, string> = {
  online: 'bg-success',
  degraded: 'bg-warning',
  offline: 'bg-destructive',
  unknown: 'bg-muted-foreground',
};
const toneLabel: Record<Tone, string> = {
  online: 'Online',
  degraded: 'Degraded',
  offline: 'Offline',
  unknown: 'Unknown',
};
const coords = (at: LatLon) => `${at.lat.toFixed(5)}, ${at.lon.toFixed(5)}`;
const LIST = 50;

function Dot({ tone }: { tone: Tone }) {
  return <span aria-hidden className={cn('size-2 shrink-0 rounded-full', toneDot[tone])} />;
}

function Facts({ rows }: { rows: [string, React.ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[88px_1fr] gap-x-3 gap-y-1.5">
      {rows
        .filter(([, v]) => v !== null && v !== undefined && v !== '')
        .map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-muted-foreground">{k}</dt>
            <dd className="min-w-0 break-words">{v}</dd>
          </div>
        ))}
    </dl>
  );
}

/** A row that selects something. */
function Pick({ tone, label, hint, onClick }: { tone?: Tone; label: string; hint?: string; onClick: () => void }) {
  return (
    <li>
      <button
        type="button"
        onClick={onClick}
        className="flex w-full items-center gap-2 rounded-md px-2 py-1.5 text-left text-[13px] hover:bg-accent"
      >
        {tone ? <Dot tone={tone} /> : <MapPin className="size-3.5 shrink-0 text-muted-foreground" aria-hidden />}
        <span className="min-w-0 flex-1 truncate">{label}</span>
        {hint ? <span className="text-xs text-muted-foreground">{hint}</span> : null}
      </button>
    </li>
  );
}

type PanelProps = {
  selection: MapSelection | null;
  sites: Site[];
  devices: Device[];
  unlocatedSites: Site[];
  unlocatedDevices: Device[];
  onSelect: (s: MapSelection | null) => void;
  /** The location editor (or the button that opens it), for the selected site or device. */
  editor: React.ReactNode;
};

export function MapPanel(p: PanelProps) {
  const s = p.selection;
  const site = s?.kind === 'site' ? p.sites.find((x) => x.id === s.id) : undefined;
  const device = s?.kind === 'device' ? p.devices.find((x) => x.id === s.id) : undefined;
  const title = site
    ? site.name
    : device
      ? (device.name ?? 'Device')
      : s?.kind === 'many'
        ? 'At this spot'
        : 'Not on the map';
  return (
    <aside
      aria-label={s ? `Details of ${title}` : 'Not on the map'}
      className="grid content-start gap-4 overflow-y-auto rounded-lg border bg-card p-4 text-[13px] shadow-xs"
      data-panel={s?.kind ?? 'unlocated'}
    >
      <header className="flex items-start justify-between gap-2">
        <h2 className="min-w-0 truncate text-sm font-semibold">{title}</h2>
        {s ? (
          <Button variant="ghost" size="icon-sm" aria-label="Close details" onClick={() => p.onSelect(null)}>
            <X aria-hidden />
          </Button>
        ) : null}
      </header>
      {site ? <SiteDetails site={site} devices={p.devices} onSelect={p.onSelect} editor={p.editor} /> : null}
      {device ? <DeviceDetails device={device} sites={p.sites} onSelect={p.onSelect} editor={p.editor} /> : null}
      {s?.kind === 'many' ? (
        <ul className="grid gap-0.5">
          {s.places.map((x) => (
            <Pick
              key={`${x.kind}:${x.id}`}
              tone={x.tone}
              label={x.name}
              hint={x.kind === 'site' ? 'site' : undefined}
              onClick={() => p.onSelect({ kind: x.kind, id: x.id })}
            />
          ))}
        </ul>
      ) : null}
      {!s ? <Unlocated {...p} /> : null}
      {s && !site && !device && s.kind !== 'many' ? (
        <p className="text-muted-foreground">It is no longer in this organisation.</p>
      ) : null}
    </aside>
  );
}

function SiteDetails({
  site,
  devices,
  onSelect,
  editor,
}: {
  site: Site;
  devices: Device[];
  onSelect: PanelProps['onSelect'];
  editor: React.ReactNode;
}) {
  const here = devices.filter((d) => d.site_id === site.id);
  const counts = new Map<Tone, number>();
  for (const d of here) counts.set(toneOf(d), (counts.get(toneOf(d)) ?? 0) + 1);
  const at = site.latitude !== null && site.longitude !== null ? { lat: site.latitude, lon: site.longitude } : null;
  return (
    <>
      <Facts
        rows={[
          ['Address', site.address],
          ['Location', at ? coords(at) : 'Not set'],
          [
            'Devices',
            here.length ? (
              <span key="counts" className="flex flex-wrap gap-x-3" data-site-counts>
                {(['offline', 'degraded', 'unknown', 'online'] as Tone[])
                  .filter((t) => counts.get(t))
                  .map((t) => (
                    <span key={t} className="inline-flex items-center gap-1.5">
                      <Dot tone={t} /> {counts.get(t)} {toneLabel[t].toLowerCase()}
                    </span>
                  ))}
              </span>
            ) : (
              'None'
            ),
          ],
        ]}
      />
      {editor}
      {here.length ? (
        <section aria-label="Devices at this site" className="grid gap-1">
          <h3 className="text-xs font-semibold text-muted-foreground uppercase">Devices</h3>
          <ul className="grid gap-0.5">
            {here.slice(0, LIST).map((d) => (
              <Pick
                key={d.id}
                tone={toneOf(d)}
                label={d.name ?? d.id}
                hint={d.latitude !== null && d.latitude !== undefined ? 'own location' : undefined}
                onClick={() => onSelect({ kind: 'device', id: d.id })}
              />
            ))}
          </ul>
          {here.length > LIST ? (
            <p className="text-xs text-muted-foreground">and {here.length - LIST} more on the Devices page.</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

function DeviceDetails({
  device,
  sites,
  onSelect,
  editor,
}: {
  device: Device;
  sites: Site[];
  onSelect: PanelProps['onSelect'];
  editor: React.ReactNode;
}) {
  const site = device.site_id ? sites.find((s) => s.id === device.site_id) : undefined;
  const own =
    typeof device.latitude === 'number' && typeof device.longitude === 'number'
      ? { lat: device.latitude, lon: device.longitude }
      : null;
  const siteAt =
    site && site.latitude !== null && site.longitude !== null ? { lat: site.latitude, lon: site.longitude } : null;
  const tone = toneOf(device);
  return (
    <>
      <Facts
        rows={[
          [
            'Status',
            <span key="s" className="inline-flex items-center gap-1.5" data-status={tone}>
              <Dot tone={tone} /> {toneLabel[tone]}
            </span>,
          ],
          ['Model', device.model],
          ['Address', device.host],
          [
            'Site',
            site ? (
              <button
                key="site"
                type="button"
                className="hover:underline"
                onClick={() => onSelect({ kind: 'site', id: site.id })}
              >
                {site.name}
              </button>
            ) : null,
          ],
          ['Location', own ? coords(own) : siteAt ? `${coords(siteAt)} (the site's)` : 'Not set'],
        ]}
      />
      <div className="flex flex-wrap gap-2">
        <Button asChild size="sm">
          <Link to="/devices/$deviceId" params={{ deviceId: device.id }}>
            <ExternalLink aria-hidden /> Open device
          </Link>
        </Button>
      </div>
      {editor}
    </>
  );
}

function Unlocated(p: PanelProps) {
  const [text, setText] = useState('');
  const q = text.trim().toLowerCase();
  const sites = useMemo(
    () => p.unlocatedSites.filter((s) => !q || s.name.toLowerCase().includes(q)),
    [p.unlocatedSites, q],
  );
  const devices = useMemo(
    () => p.unlocatedDevices.filter((d) => !q || (d.name ?? '').toLowerCase().includes(q)),
    [p.unlocatedDevices, q],
  );
  if (!p.unlocatedSites.length && !p.unlocatedDevices.length)
    return <p className="text-muted-foreground">Every site and device has a location.</p>;
  return (
    <>
      <p className="text-muted-foreground">
        {p.unlocatedSites.length} {p.unlocatedSites.length === 1 ? 'site' : 'sites'} and {p.unlocatedDevices.length}{' '}
        {p.unlocatedDevices.length === 1 ? 'device' : 'devices'} have no location yet. A device without its own is drawn
        at its site. Pick one to place it.
      </p>
      <Input
        type="search"
        aria-label="Filter places without a location"
        placeholder="Filter…"
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {sites.length ? (
        <section aria-label="Sites without a location" className="grid gap-1">
          <h3 className="text-xs font-semibold text-muted-foreground uppercase">Sites</h3>
          <ul className="grid gap-0.5">
            {sites.slice(0, LIST).map((s) => (
              <Pick key={s.id} label={s.name} onClick={() => p.onSelect({ kind: 'site', id: s.id })} />
            ))}
          </ul>
        </section>
      ) : null}
      {devices.length ? (
        <section aria-label="Devices without a location" className="grid gap-1">
          <h3 className="text-xs font-semibold text-muted-foreground uppercase">Devices</h3>
          <ul className="grid gap-0.5">
            {devices.slice(0, LIST).map((d) => (
              <Pick
                key={d.id}
                tone={toneOf(d)}
                label={d.name ?? d.id}
                onClick={() => p.onSelect({ kind: 'device', id: d.id })}
              />
            ))}
          </ul>
          {devices.length > LIST ? (
            <p className="text-xs text-muted-foreground">and {devices.length - LIST} more: filter by name.</p>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
