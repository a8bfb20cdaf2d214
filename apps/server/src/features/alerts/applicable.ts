import { type Membership, scopeCovers, scopeRank } from '../catalog/scope.js';
import type { RuleRow } from './rules.repo.js';

/**
 * The rules that apply to one device: of the enabled rules covering it, per metric only those of the narrowest
 * scope (device > group/tag > sector > site > organisation). Several rules at that scope all apply (a warning and a
 * critical threshold on the same metric).
 */
export function applicableRules(rules: readonly RuleRow[], m: Membership): RuleRow[] {
  const best = new Map<string, number>();
  const covering: RuleRow[] = [];
  for (const r of rules) {
    if (!scopeCovers({ kind: r.scope_kind, id: r.scope_id }, m)) continue;
    covering.push(r);
    const rank = scopeRank[r.scope_kind];
    if (rank > (best.get(r.metric) ?? -1)) best.set(r.metric, rank);
  }
  return covering.filter((r) => scopeRank[r.scope_kind] === best.get(r.metric));
}
