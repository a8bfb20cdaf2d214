import {
  diffExports,
  diffToJSON,
  type ExportDiff,
  parseExport,
  redactSecrets,
  serializeExport,
  unifiedDiff,
} from '@tod/rsc';
import type { z } from 'zod';
import type { diffResult } from './config-backups.schema.js';

// Diffs between two normalised exports: the semantic one (per menu path and item) and a unified line diff.

/** Items added, removed, changed or moved, plus header changes (an upgrade). */
export function countChanges(d: ExportDiff): number {
  let n = d.header.length;
  for (const m of d.menus) n += m.added.length + m.removed.length + m.changed.length + m.moved.length;
  return n;
}

/** Changes between two normalised texts (stored versions). */
export function changesBetween(previous: string | null, next: string): number | null {
  if (previous === null) return null;
  return countChanges(diffExports(previous, next, { normalized: true }));
}

/** A normalised export with every secret value replaced. */
export function redact(text: string): string {
  return serializeExport(redactSecrets(parseExport(text)), { style: 'compact', canonicalQuotes: true });
}

/** Semantic and line diff of two normalised texts (stored versions, redacted or not). */
export function buildDiff(fromText: string, toText: string, names: { from: string; to: string }) {
  const d = diffExports(fromText, toText, { normalized: true });
  return {
    equal: d.equal,
    changes: countChanges(d),
    semantic: diffToJSON(d) as z.infer<typeof diffResult>['semantic'],
    unified: unifiedDiff(fromText, toText, { aName: names.from, bName: names.to, context: 3 }),
  };
}
