import { type Tone, worse } from './places';

// Grid clustering in screen space: items whose projected points fall in one cell of `cell` pixels at the current
// zoom become one cluster (its count, its worst status, the bounds of its items). Linear in the items, run again on
// every zoom or pan over the items in view only, so 10,000 devices never mean 10,000 markers.

export type Item = { id: string; x: number; y: number; tone: Tone; weight: number };
export type Group<T extends Item> = { items: T[]; x: number; y: number; tone: Tone; weight: number };

export function cluster<T extends Item>(items: T[], cell: number): Group<T>[] {
  const cells = new Map<string, Group<T>>();
  for (const it of items) {
    const key = `${Math.floor(it.x / cell)},${Math.floor(it.y / cell)}`;
    const g = cells.get(key);
    if (!g) {
      cells.set(key, { items: [it], x: it.x, y: it.y, tone: it.tone, weight: it.weight });
      continue;
    }
    g.items.push(it);
    // The centre of the cluster: the mean of its items' points.
    g.x += (it.x - g.x) / g.items.length;
    g.y += (it.y - g.y) / g.items.length;
    g.tone = worse(g.tone, it.tone);
    g.weight += it.weight;
  }
  return [...cells.values()];
}
