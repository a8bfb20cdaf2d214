import 'leaflet/dist/leaflet.css';
import './map.css';
import L from 'leaflet';
import { useEffect, useRef } from 'react';
import { cn } from '@/lib/cn';
import { loadOutlines, tilesElsewhere } from './base-map';
import { cluster, type Item } from './cluster';
import type { LatLon, MapLink, Place } from './places';

// The map itself: Leaflet (SVG and DOM, no WebGL) driven from React through refs. Land is the bundled outlines (or
// the configured tile server), links are polylines between located ends, places are clustered on a screen grid
// and redrawn on every zoom and pan (only what is in view becomes a marker). Clicking a place selects it; clicking
// a cluster zooms in on it, or lists it when its places share one spot.

export const placeKey = (p: Pick<Place, 'kind' | 'id'>) => `${p.kind}:${p.id}`;
/** A place's cluster at the current zoom: its items; cell size in pixels. */
const CELL = 44;

const toneWords = { online: 'online', degraded: 'degraded', offline: 'offline', unknown: 'status unknown' };

export type MapViewProps = {
  places: Place[];
  links: MapLink[];
  selected: string | null;
  onSelect: (places: Place[]) => void;
  tiles: string | null;
  /** Tiles blocked by the page's CSP (a tile server elsewhere than TOD's own address). */
  onTilesBlocked: (url: string) => void;
  picking: boolean;
  onPick: (at: LatLon) => void;
  /** The location being edited: a pin that can be dragged. */
  pin: LatLon | null;
  onPinMove: (at: LatLon) => void;
  /** Pans to this spot whenever `seq` changes. */
  goTo: { at: LatLon; seq: number } | null;
};

/** Longitudes back into −180…180 (a world copy to the east or west of the first). */
const wrapLon = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;
const toLatLng = (p: LatLon): L.LatLngTuple => [p.lat, p.lon];

export function MapView(props: MapViewProps) {
  const el = useRef<HTMLElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const map = useRef<L.Map | null>(null);
  const markers = useRef<L.LayerGroup | null>(null);
  const links = useRef<L.LayerGroup | null>(null);
  const fitted = useRef(false);

  // The map, once: panes for land under links under markers, and the handlers that read the latest props.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is made once; its handlers read `latest`
  useEffect(() => {
    const m = L.map(el.current!, { minZoom: 2, maxZoom: 18, zoomSnap: 0.5, worldCopyJump: true });
    m.createPane('land').style.zIndex = '250';
    m.setView([25, 0], 2);
    links.current = L.layerGroup().addTo(m);
    markers.current = L.layerGroup().addTo(m);
    map.current = m;
    m.on('zoomend moveend', () => drawMarkers());
    m.on('click', (e: L.LeafletMouseEvent) => {
      if (latest.current.picking) latest.current.onPick({ lat: e.latlng.lat, lon: wrapLon(e.latlng.lng) });
    });
    return () => {
      m.remove();
      map.current = null;
    };
  }, []);

  // The base: the bundled outlines, or the configured tile server.
  useEffect(() => {
    const m = map.current!;
    let layer: L.Layer | null = null;
    let cancelled = false;
    if (props.tiles) {
      const url = props.tiles;
      layer = L.tileLayer(url, { maxZoom: 19, attribution: 'Tiles: your tile server' }).addTo(m);
      // A tile server elsewhere is refused by the page's CSP (img-src 'self'): say so rather than show nothing.
      if (tilesElsewhere(url)) latest.current.onTilesBlocked(url);
    } else {
      void loadOutlines().then((fc) => {
        if (cancelled) return;
        layer = L.geoJSON(fc, {
          pane: 'land',
          interactive: false,
          style: { className: 'map-land', weight: 0.6 },
          attribution: 'Outlines: Natural Earth',
        }).addTo(m);
      });
    }
    return () => {
      cancelled = true;
      if (layer) m.removeLayer(layer);
    };
  }, [props.tiles]);

  // Links between located ends.
  useEffect(() => {
    const group = links.current!;
    group.clearLayers();
    for (const l of props.links) {
      L.polyline([toLatLng(l.a), toLatLng(l.b)], {
        className: cn('map-link', `link-${l.state}`, l.wireless && 'link-wireless'),
        weight: 2,
      })
        .bindTooltip(
          `${l.count === 1 ? '1 link' : `${l.count} links`}${l.wireless ? ' (wireless)' : ''}: ${l.state === 'up' ? 'up' : l.state}`,
          { sticky: true },
        )
        .addTo(group);
    }
  }, [props.links]);

  // Places: fit them all the first time there are some; redraw whenever they or the selection change.
  // biome-ignore lint/correctness/useExhaustiveDependencies: drawMarkers reads the latest props (selection included)
  useEffect(() => {
    const m = map.current!;
    if (!fitted.current && props.places.length) {
      fitted.current = true;
      m.fitBounds(L.latLngBounds(props.places.map((p) => toLatLng(p.at))), { padding: [48, 48], maxZoom: 12 });
    }
    drawMarkers();
  }, [props.places, props.selected]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new request (seq) moves the view
  useEffect(() => {
    const to = latest.current.goTo;
    if (to) map.current!.setView(toLatLng(to.at), Math.max(map.current!.getZoom(), 10));
  }, [props.goTo?.seq]);

  // The pin being placed: draggable, and where a click in pick mode puts it.
  useEffect(() => {
    if (!props.pin) return;
    const pin = L.marker(toLatLng(props.pin), {
      draggable: true,
      keyboard: true,
      title: 'New location (drag to move)',
      zIndexOffset: 1000,
      icon: L.divIcon({ className: 'map-marker map-pin', iconSize: [18, 18], iconAnchor: [9, 18] }),
    }).addTo(map.current!);
    pin.on('dragend', () => {
      const at = pin.getLatLng();
      latest.current.onPinMove({ lat: at.lat, lon: wrapLon(at.lng) });
    });
    return () => {
      pin.remove();
    };
  }, [props.pin]);

  // Markers kept from the last draw, by what they stand for; one is replaced only when its look changes, so a
  // refresh of statuses or a pan does not take keyboard focus (or a hover) away from a marker that stays.
  const drawn = useRef(new Map<string, { marker: L.Marker; look: string }>());

  function drawMarkers() {
    const m = map.current;
    const group = markers.current;
    if (!m || !group) return;
    const { places, selected } = latest.current;
    const zoom = m.getZoom();
    const view = m.getBounds().pad(0.25);
    type PlaceItem = Item & { place: Place };
    const items: PlaceItem[] = [];
    for (const p of places) {
      if (!view.contains(toLatLng(p.at))) continue;
      const pt = m.project(toLatLng(p.at), zoom);
      items.push({ id: placeKey(p), x: pt.x, y: pt.y, tone: p.tone, weight: p.devices, place: p });
    }
    const keep = new Set<string>();
    const put = (key: string, look: string, make: () => L.Marker) => {
      keep.add(key);
      const had = drawn.current.get(key);
      if (had?.look === look) return;
      if (had) group.removeLayer(had.marker);
      drawn.current.set(key, { marker: make().addTo(group), look });
    };
    for (const g of cluster(items, CELL)) {
      if (g.items.length === 1) {
        const p = g.items[0]!.place;
        put(placeKey(p), placeLook(p, placeKey(p) === selected), () => placeMarker(p, placeKey(p) === selected));
        continue;
      }
      const at = m.unproject([g.x, g.y], zoom);
      const key = `cluster:${g.items.map((i) => i.id).join(',')}`;
      put(key, [at.lat, at.lng, g.tone, g.weight, ...g.items.map((i) => placeLook(i.place, false))].join('|'), () =>
        clusterMarker(g.items, at, g.tone, g.weight),
      );
    }
    for (const [key, { marker }] of drawn.current) {
      if (keep.has(key)) continue;
      group.removeLayer(marker);
      drawn.current.delete(key);
    }
  }

  const placeLook = (p: Place, isSelected: boolean) =>
    [p.at.lat, p.at.lon, p.name, p.tone, p.devices, isSelected].join('|');

  function placeMarker(p: Place, isSelected: boolean) {
    const size = p.kind === 'site' ? 22 : 14;
    const marker = L.marker(toLatLng(p.at), {
      keyboard: true,
      riseOnHover: true,
      title: `${p.kind === 'site' ? 'Site' : 'Device'} ${p.name}: ${p.kind === 'site' ? `${p.devices} ${p.devices === 1 ? 'device' : 'devices'}` : toneWords[p.tone]}`,
      zIndexOffset: isSelected ? 500 : p.kind === 'site' ? 100 : 0,
      icon: L.divIcon({
        className: cn('map-marker', `map-${p.kind}`, `tone-${p.tone}`, isSelected && 'is-selected'),
        html: p.kind === 'site' && p.devices ? String(p.devices) : '',
        iconSize: [size, size],
      }),
    });
    marker.on('add', () => {
      const icon = marker.getElement();
      if (!icon) return;
      icon.dataset[p.kind] = p.name;
      icon.dataset.status = p.tone;
    });
    marker.on('click', () => latest.current.onSelect([p]));
    return marker;
  }

  function clusterMarker(items: { place: Place }[], at: L.LatLng, tone: Place['tone'], weight: number) {
    const size = weight > 99 ? 38 : 30;
    const marker = L.marker(at, {
      keyboard: true,
      title: `${items.length} places, ${weight} ${weight === 1 ? 'device' : 'devices'}: zoom in`,
      icon: L.divIcon({
        className: cn('map-marker map-cluster', `tone-${tone}`),
        html: String(weight || items.length),
        iconSize: [size, size],
      }),
    });
    marker.on('add', () => marker.getElement()?.setAttribute('data-cluster', String(items.length)));
    marker.on('click', () => {
      const m = map.current!;
      const bounds = L.latLngBounds(items.map((i) => toLatLng(i.place.at)));
      const oneSpot = bounds.getNorthEast().equals(bounds.getSouthWest(), 1e-6);
      if (oneSpot || m.getZoom() >= m.getMaxZoom() - 1) latest.current.onSelect(items.map((i) => i.place));
      else m.fitBounds(bounds, { padding: [60, 60], maxZoom: m.getMaxZoom() });
    });
    return marker;
  }

  return (
    <section
      ref={el}
      className={cn('map-view size-full', props.picking && 'picking')}
      aria-label="Map of sites and devices"
      data-map
    />
  );
}
