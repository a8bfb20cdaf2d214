import type { Device } from '@/api/devices';
import type { Entry } from '@/api/inventory';
import type { Topology } from '@/api/topology';

// What goes where on the map. A site with coordinates is a place (standing for its devices that have none of
// their own); a device with its own coordinates is a place of its own (they override its site's); the rest are
// not on the map yet. A link is drawn between the located ends of a topology edge, one line per pair of spots
// (a site's ten links to another site are one line, in the worst state among them).

export type Site = Entry<'sites'>;
export type Tone = 'online' | 'degraded' | 'offline' | 'unknown';
export type LatLon = { lat: number; lon: number };

export type Place =
  | { kind: 'site'; id: string; name: string; at: LatLon; tone: Tone; devices: number; site: Site }
  | { kind: 'device'; id: string; name: string; at: LatLon; tone: Tone; devices: 1; device: Device };

export type MapLink = {
  key: string;
  a: LatLon;
  b: LatLon;
  state: 'up' | 'down' | 'stale';
  wireless: boolean;
  /** The topology edges this line stands for. */
  count: number;
};

const rank: Record<Tone, number> = { online: 0, unknown: 1, degraded: 2, offline: 3 };
/** The worse of two statuses: a cluster or a site shows its worst device. */
export const worse = (a: Tone, b: Tone): Tone => (rank[b] > rank[a] ? b : a);

export function toneOf(d: Pick<Device, 'status' | 'disabled'>): Tone {
  if (d.disabled) return 'unknown';
  return d.status ?? 'unknown';
}

const located = (lat: number | null | undefined, lon: number | null | undefined): LatLon | null =>
  typeof lat === 'number' && typeof lon === 'number' ? { lat, lon } : null;

export function placesOf(sites: Site[], devices: Device[]) {
  const siteAt = new Map<string, LatLon>();
  const places: Place[] = [];
  const siteTone = new Map<string, Tone>();
  const siteCount = new Map<string, number>();
  /** Where each device is drawn: its own coordinates, else its site's. */
  const where = new Map<string, LatLon>();
  const unlocatedDevices: Device[] = [];
  for (const s of sites) {
    const at = located(s.latitude, s.longitude);
    if (at) siteAt.set(s.id, at);
  }
  for (const d of devices) {
    const own = located(d.latitude, d.longitude);
    if (d.site_id) siteCount.set(d.site_id, (siteCount.get(d.site_id) ?? 0) + 1);
    if (own) {
      where.set(d.id, own);
      places.push({ kind: 'device', id: d.id, name: d.name ?? d.id, at: own, tone: toneOf(d), devices: 1, device: d });
      continue;
    }
    const at = d.site_id ? siteAt.get(d.site_id) : undefined;
    if (at && d.site_id) {
      where.set(d.id, at);
      siteTone.set(d.site_id, worse(siteTone.get(d.site_id) ?? 'online', toneOf(d)));
    } else unlocatedDevices.push(d);
  }
  for (const s of sites) {
    const at = siteAt.get(s.id);
    if (!at) continue;
    places.push({
      kind: 'site',
      id: s.id,
      name: s.name,
      at,
      // A site without devices drawn at it has nothing to be unwell about.
      tone: siteTone.get(s.id) ?? (siteCount.get(s.id) ? 'online' : 'unknown'),
      devices: siteCount.get(s.id) ?? 0,
      site: s,
    });
  }
  const unlocatedSites = sites.filter((s) => !siteAt.has(s.id));
  return { places, where, unlocatedSites, unlocatedDevices };
}

const stateRank = { up: 0, stale: 1, down: 2 } as const;
const spot = (p: LatLon) => `${p.lat.toFixed(5)},${p.lon.toFixed(5)}`;

/** The topology's links between located managed devices, one line per pair of distinct spots. */
export function linksOf(graph: Topology | undefined, where: Map<string, LatLon>): MapLink[] {
  if (!graph) return [];
  const out = new Map<string, MapLink>();
  for (const e of graph.edges) {
    const [a, b] = [where.get(e.source), where.get(e.target)];
    if (!a || !b) continue;
    const [ka, kb] = [spot(a), spot(b)];
    if (ka === kb) continue;
    const key = ka < kb ? `${ka}|${kb}` : `${kb}|${ka}`;
    const prev = out.get(key);
    if (!prev) {
      out.set(key, { key, a, b, state: e.state, wireless: e.kind === 'wireless', count: 1 });
      continue;
    }
    prev.count++;
    prev.wireless ||= e.kind === 'wireless';
    if (stateRank[e.state] > stateRank[prev.state]) prev.state = e.state;
  }
  return [...out.values()];
}
