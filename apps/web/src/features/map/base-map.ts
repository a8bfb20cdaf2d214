import type { FeatureCollection } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import outlinesUrl from 'world-atlas/countries-50m.json?url';
import { prefs } from '@/lib/storage';

// The map's base. By default the countries of Natural Earth (1:50m, the world-atlas package's TopoJSON) bundled
// with the app and drawn as vectors: nothing is asked of a tile server or a CDN. Someone who has a tile server
// (streets) can set its URL template; it is kept in this browser only (localStorage), since TOD has no settings
// store for the organisation yet.

let outlines: Promise<FeatureCollection> | undefined;

/** The country outlines as GeoJSON, loaded once per page life (a 740 KB asset of TOD's own, about 240 KB gzip). */
export function loadOutlines(): Promise<FeatureCollection> {
  outlines ??= (async () => {
    const r = await fetch(outlinesUrl);
    if (!r.ok) throw new Error(`the base map did not load (${r.status})`);
    const topo = (await r.json()) as Topology<{ countries: GeometryCollection }>;
    return feature(topo, topo.objects.countries) as FeatureCollection;
  })();
  outlines.catch(() => {
    outlines = undefined;
  });
  return outlines;
}

const KEY = 'map-tiles';

/** The tile server's URL template, or null for the built-in outlines. */
export const tileUrl = (): string | null => prefs.get(KEY);
export const setTileUrl = (url: string | null) => prefs.set(KEY, url);

/** Why a URL template will not do, or null: it needs {z}, {x} and {y}, over http(s) or on TOD's own address. */
export function tileUrlProblem(url: string): string | null {
  const u = url.trim();
  if (!/^(https?:\/\/|\/)/.test(u)) return 'Start with https://, http:// or / (a path on this TOD).';
  for (const p of ['{z}', '{x}', '{y}']) if (!u.includes(p)) return `The template needs ${p}.`;
  return null;
}

/** Whether tiles from this template leave TOD's own address (the page's Content-Security-Policy blocks them). */
export const tilesElsewhere = (url: string) =>
  /^https?:\/\//.test(url) && new URL(url.replace(/\{[a-z]\}/g, '0')).origin !== window.location.origin;
