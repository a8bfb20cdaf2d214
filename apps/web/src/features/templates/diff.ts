import type { SemanticDiff } from '@/api/config-backups';

// The preview's and drift's `diff` is the semantic diff the backups comparison and the restore preview show (its
// schema is open on the server): recognised here, and counted as the server counts a restore's changes.

export function semanticOf(x: unknown): { diff: SemanticDiff; count: number } | null {
  if (typeof x !== 'object' || x === null || !('menus' in x) || !Array.isArray(x.menus) || !('header' in x))
    return null;
  const diff = x as SemanticDiff;
  let count = diff.header.length;
  for (const m of diff.menus) count += m.added.length + m.removed.length + m.changed.length + m.moved.length;
  return { diff, count };
}
