import { createHash } from 'node:crypto';

/** An edge's id: stable for a pair of nodes (a < b), whichever end reported it first. */
export function edgeId(a: string, b: string): string {
  return createHash('sha256').update(`${a}|${b}`).digest('hex').slice(0, 24);
}
