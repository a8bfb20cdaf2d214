import { useQuery } from '@tanstack/react-query';
import { Plus } from 'lucide-react';
import { useState } from 'react';
import { alertMetricsQuery } from '@/api/alerts';
import { deleteSiteRule, type Sector, siteAlertsQuery, siteRulesQuery } from '@/api/sites';
import { useCan } from '@/auth/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { alertSource, conditionText, formatValue, severityLabel, severityTone } from '../alerts/words';
import { SiteRuleDialog } from './site-rule-dialog';

// The site's alert rules (scoped to it or one of its sectors) and its open alerts. New rules need
// alerts.configure; deleting follows each rule's `policies`.

export function SiteAlerts(props: { tenantId: string; siteId: string; sectors: Sector[] }) {
  const { tenantId, siteId } = props;
  const canConfigure = useCan('alerts.configure');
  const rules = useQuery(siteRulesQuery(tenantId, siteId));
  const alerts = useQuery(siteAlertsQuery(tenantId, siteId));
  const metrics = useQuery(alertMetricsQuery(tenantId)).data ?? [];
  const [creating, setCreating] = useState(false);
  const remove = useApiMutation(deleteSiteRule, { success: (_r, v) => `Rule ${v.rule.name} deleted` });
  const sectorName = (id: string) => props.sectors.find((s) => s.id === id)?.name ?? 'a sector';

  return (
    <Card aria-label="Site alerts" data-site-alerts>
      <CardHeader
        title="Site alerts"
        description="Rules over the site or a sector as a whole, and the alerts open here."
        actions={
          canConfigure ? (
            <Button size="sm" onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New rule
            </Button>
          ) : null
        }
      />
      <div className="grid gap-4 p-4">
        <section aria-label="Open alerts" className="grid gap-2">
          <h3 className="text-xs font-medium text-muted-foreground">Open alerts</h3>
          {(alerts.data ?? []).length === 0 ? (
            <p className="text-[13px] text-muted-foreground" data-no-alerts>
              {alerts.isPending ? 'Loading…' : 'Nothing open at this site.'}
            </p>
          ) : (
            <ul className="grid gap-1">
              {alerts.data?.map((a) => (
                <li key={a.id} data-alert={a.rule_name} className="flex flex-wrap items-center gap-2 text-[13px]">
                  <Badge tone={severityTone[a.severity]}>{severityLabel[a.severity]}</Badge>
                  <span className="font-medium">{a.rule_name}</span>
                  <span className="text-muted-foreground">
                    {alertSource(a)} · {formatValue(a.last_value ?? a.value, a.unit)} · since {ago(a.started_at)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Rules" className="grid gap-2">
          <h3 className="text-xs font-medium text-muted-foreground">Rules</h3>
          {(rules.data ?? []).length === 0 ? (
            <p className="text-[13px] text-muted-foreground">{rules.isPending ? 'Loading…' : 'No site rules yet.'}</p>
          ) : (
            <Table>
              <THead>
                <tr>
                  <Th>Name</Th>
                  <Th>Applies to</Th>
                  <Th>Condition</Th>
                  <Th className="text-right">Open</Th>
                  <Th className="w-24">
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </THead>
              <TBody>
                {rules.data?.map((r) => (
                  <tr key={r.id} data-rule={r.name}>
                    <Td className="font-medium">{r.name}</Td>
                    <Td>{r.scope.kind === 'sector' ? `Sector ${sectorName(r.scope.id ?? '')}` : 'The whole site'}</Td>
                    <Td>
                      {conditionText(
                        metrics.find((m) => m.metric === r.metric),
                        r.metric,
                        r.operator,
                        r.threshold,
                      )}
                    </Td>
                    <Td className="text-right tabular-nums">{r.active_count}</Td>
                    <Td className="text-right">
                      {r.policies.delete ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          className="text-destructive hover:text-destructive"
                          aria-label={`Delete rule ${r.name}`}
                          onClick={() => remove.mutate({ tenantId, siteId, rule: r })}
                        >
                          Delete
                        </Button>
                      ) : null}
                    </Td>
                  </tr>
                ))}
              </TBody>
            </Table>
          )}
        </section>
      </div>
      {creating ? (
        <SiteRuleDialog
          tenantId={tenantId}
          siteId={siteId}
          sectors={props.sectors}
          onClose={() => setCreating(false)}
        />
      ) : null}
    </Card>
  );
}
