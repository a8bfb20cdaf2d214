import { useQuery } from '@tanstack/react-query';
import { MapPin, TriangleAlert } from 'lucide-react';
import { useMemo, useState } from 'react';
import { devicesQuery, updateDevice } from '@/api/devices';
import { inventoryQuery, updateEntry } from '@/api/inventory';
import { topologyQuery } from '@/api/topology';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { Button } from '@/components/ui/button';
import { useApiMutation } from '@/lib/mutation';
import { useFleetStream } from '../fleet/live';
import { setTileUrl, tileUrl } from './base-map';
import { BaseMapDialog } from './base-map-dialog';
import { type Draft, draftOf, LocationEditor, parseDraft } from './location-editor';
import { MapLegend } from './map-legend';
import { MapPanel, type MapSelection } from './map-panel';
import { MapView } from './map-view';
import { type LatLon, linksOf, type Place, placesOf } from './places';

// The Map page: sites and devices where they are (a device's own coordinates override its site's), in their status
// colours and clustered, the topology's links drawn between located ends, and a side panel for what is clicked.
// Operators set a location by typing it or by dropping a pin; statuses follow the fleet stream.

/** What the map needs of each device (the list is fetched with these fields only). */
const DEVICE_FIELDS = ['name', 'status', 'disabled', 'site_id', 'latitude', 'longitude', 'model', 'host'];
const updateSite = updateEntry('sites');

export function MapPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return <MapScreen key={current.id} tenantId={current.id} />;
}

function MapScreen({ tenantId }: { tenantId: string }) {
  useFleetStream(tenantId);
  const canSites = useCan('inventory.read');
  const canLinks = useCan('topology.read');
  const canEditDevices = useCan('devices.write');
  const sitesQ = useQuery({ ...inventoryQuery(tenantId, 'sites'), enabled: canSites });
  const devicesQ = useQuery(devicesQuery(tenantId, { fields: DEVICE_FIELDS, sort: 'name' }));
  const graphQ = useQuery({ ...topologyQuery(tenantId, {}), enabled: canLinks });
  const sites = useMemo(() => sitesQ.data ?? [], [sitesQ.data]);
  const devices = useMemo(() => devicesQ.data?.items ?? [], [devicesQ.data]);
  const located = useMemo(() => placesOf(sites, devices), [sites, devices]);
  const links = useMemo(() => linksOf(graphQ.data, located.where), [graphQ.data, located.where]);

  const [selection, setSelection] = useState<MapSelection | null>(null);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Draft>(draftOf(null));
  const [picking, setPicking] = useState(false);
  const [showErrors, setShowErrors] = useState(false);
  const [tiles, setTiles] = useState(tileUrl);
  const [blocked, setBlocked] = useState<string | null>(null);
  const [goTo, setGoTo] = useState<{ at: LatLon; seq: number } | null>(null);
  const saveSite = useApiMutation(updateSite, { silentErrors: true, success: () => 'Location saved' });
  const saveDevice = useApiMutation(updateDevice, { silentErrors: true, success: () => 'Location saved' });

  const select = (s: MapSelection | null) => {
    setSelection(s);
    setEditing(false);
    setPicking(false);
    saveSite.reset();
    saveDevice.reset();
  };
  const onMapSelect = (ps: Place[]) => {
    const [one] = ps;
    if (ps.length === 1 && one) select({ kind: one.kind, id: one.id });
    else select({ kind: 'many', places: ps });
  };

  const site = selection?.kind === 'site' ? sites.find((s) => s.id === selection.id) : undefined;
  const device = selection?.kind === 'device' ? devices.find((d) => d.id === selection.id) : undefined;
  const ownAt = (lat?: number | null, lon?: number | null) =>
    typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : null;
  const current = site
    ? ownAt(site.latitude, site.longitude)
    : device
      ? ownAt(device.latitude, device.longitude)
      : null;
  const canEdit = site ? site.policies['inventory.write'] === true : device ? canEditDevices : false;
  const saving = saveSite.isPending || saveDevice.isPending;
  const pin = useMemo(() => (editing ? parseDraft(draft).at : null), [editing, draft]);

  const save = (at: LatLon | null) => {
    const body = { latitude: at?.lat ?? null, longitude: at?.lon ?? null };
    const done = {
      onSuccess: () => {
        setEditing(false);
        setPicking(false);
        if (at) setGoTo((g) => ({ at, seq: (g?.seq ?? 0) + 1 }));
      },
    };
    if (site) saveSite.mutate({ tenantId, id: site.id, body }, done);
    else if (device) saveDevice.mutate({ tenantId, deviceId: device.id, body }, done);
  };

  const editor = !canEdit ? null : editing ? (
    <LocationEditor
      draft={draft}
      onDraft={setDraft}
      picking={picking}
      onPicking={setPicking}
      onSave={save}
      onCancel={() => {
        setEditing(false);
        setPicking(false);
      }}
      busy={saving}
      error={saveSite.error ?? saveDevice.error ?? null}
      clearLabel={current ? (device ? 'Use the site’s location' : 'Remove from the map') : undefined}
      showErrors={showErrors}
      onShowErrors={() => setShowErrors(true)}
    />
  ) : (
    <div>
      <Button
        size="sm"
        onClick={() => {
          setDraft(draftOf(current));
          setShowErrors(false);
          setEditing(true);
          // Nothing to move yet: the first click on the map places it.
          setPicking(current === null);
        }}
      >
        <MapPin aria-hidden /> {current ? 'Move' : 'Set location'}
      </Button>
    </div>
  );

  return (
    <>
      <PageHeader
        title="Map"
        description="Sites and devices where they are, in their status colours, with the links between them."
        actions={
          <BaseMapDialog
            tiles={tiles}
            onChange={(url) => {
              setTileUrl(url);
              setTiles(url);
              setBlocked(null);
            }}
          />
        }
      />
      {blocked ? (
        <div
          role="alert"
          className="mb-3 flex items-start gap-2 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-[13px]"
        >
          <TriangleAlert className="mt-0.5 size-4 shrink-0 text-warning" aria-hidden />
          <span>
            Tiles from {new URL(blocked.replace(/\{[a-z]\}/g, '0')).host} are blocked: TOD lets the browser load images
            from its own address only. Serve the tiles through TOD's address (a path on the proxy in front of it), or go
            back to the built-in outlines under Base map.
          </span>
        </div>
      ) : null}
      <div className="grid gap-3 lg:grid-cols-[1fr_300px]">
        <div className="relative h-[calc(100dvh-14rem)] min-h-[420px] overflow-hidden rounded-lg border">
          <MapView
            places={located.places}
            links={links}
            selected={selection && selection.kind !== 'many' ? `${selection.kind}:${selection.id}` : null}
            onSelect={onMapSelect}
            tiles={tiles}
            onTilesBlocked={setBlocked}
            picking={editing && picking}
            onPick={(at) => {
              setDraft(draftOf(at));
              setPicking(false);
            }}
            pin={pin}
            onPinMove={(at) => setDraft(draftOf(at))}
            goTo={goTo}
          />
          {devicesQ.isPending ? (
            <p className="absolute top-3 left-1/2 z-[1000] -translate-x-1/2 rounded-md border bg-card px-3 py-1.5 text-xs shadow-sm">
              Loading devices…
            </p>
          ) : null}
        </div>
        <MapPanel
          selection={selection}
          sites={sites}
          devices={devices}
          unlocatedSites={located.unlocatedSites}
          unlocatedDevices={located.unlocatedDevices}
          onSelect={select}
          editor={editor}
        />
      </div>
      <MapLegend />
    </>
  );
}
