import { useQuery } from '@tanstack/react-query';
import { Pencil, Trash2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { type AlertRule, alertMetricsQuery, channelOptionsQuery, updateRule } from '@/api/alerts';
import { useCan } from '@/auth/session';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { useApiMutation } from '@/lib/mutation';
import { entryLabel, useScopeOptions } from './scope-picker';
import { conditionText, persistenceText, severityLabel, severityTone } from './words';

/** The organisation's rules: what each watches, where, whom it notifies, and how many alerts it has open. */
export function RuleTable(props: {
  tenantId: string;
  rules: AlertRule[];
  onEdit: (r: AlertRule) => void;
  onDelete: (r: AlertRule) => void;
}) {
  const metrics = useQuery(alertMetricsQuery(props.tenantId));
  const canReadChannels = useCan('notifications.read');
  const channels = useQuery({ ...channelOptionsQuery(props.tenantId), enabled: canReadChannels });
  const channelName = new Map((channels.data ?? []).map((c) => [c.id, c.name]));
  const toggle = useApiMutation(updateRule, {
    success: (r) => `${r.name} ${r.enabled ? 'enabled' : 'disabled'}`,
  });
  // What the user clicked, shown until the list has it (the refetch lands after the write: without this the box
  // would flip back for a moment). A value the list already shows needs no override.
  const [clicked, setClicked] = useState<Record<string, boolean>>({});
  const shown = (r: AlertRule) => clicked[r.id] ?? r.enabled;
  // Once the list shows a click, the list is the truth again (another user's later change shows too).
  useEffect(() => {
    setClicked((c) => {
      const settled = props.rules.filter((r) => c[r.id] === r.enabled).map((r) => r.id);
      if (settled.length === 0) return c;
      const next = { ...c };
      for (const id of settled) delete next[id];
      return next;
    });
  }, [props.rules]);
  return (
    <Table>
      <THead>
        <tr>
          <Th>Name</Th>
          <Th>Condition</Th>
          <Th>Severity</Th>
          <Th>Applies to</Th>
          <Th>Notifies</Th>
          <Th>Enabled</Th>
          <Th className="text-right">Active</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {props.rules.map((r) => {
          const metric = metrics.data?.find((m) => m.metric === r.metric);
          return (
            <tr key={r.id} data-rule={r.id} data-enabled={r.enabled}>
              <Td>
                <div className="flex items-center gap-1.5 font-medium">
                  {r.name}
                  {r.is_default ? <Badge tone="outline">Default</Badge> : null}
                </div>
              </Td>
              <Td>
                <div>
                  {conditionText(metric, r.metric, r.operator, r.threshold)}
                  {r.interface ? <span className="text-muted-foreground"> on {r.interface}</span> : null}
                </div>
                <div className="text-xs text-muted-foreground">
                  fires {persistenceText(r.duration_polls, r.duration_seconds)}, resolves after{' '}
                  {r.clear_polls === 1 ? '1 clear poll' : `${r.clear_polls} clear polls`}
                </div>
              </Td>
              <Td>
                <Badge tone={severityTone[r.severity]}>{severityLabel[r.severity]}</Badge>
              </Td>
              <Td>
                <ScopeName tenantId={props.tenantId} rule={r} />
              </Td>
              <Td className="text-muted-foreground">
                {r.channel_ids.length === 0
                  ? 'Every channel for its severity'
                  : r.channel_ids.map((id) => channelName.get(id) ?? 'a channel').join(', ')}
              </Td>
              <Td>
                {r.policies.update ? (
                  <input
                    type="checkbox"
                    aria-label={`${r.name} enabled`}
                    checked={shown(r)}
                    disabled={toggle.isPending}
                    onChange={(e) => {
                      const enabled = e.target.checked;
                      setClicked((c) => ({ ...c, [r.id]: enabled }));
                      toggle.mutate(
                        { tenantId: props.tenantId, id: r.id, body: { enabled } },
                        // Refused: the list's value stands.
                        { onError: () => setClicked(({ [r.id]: _, ...rest }) => rest) },
                      );
                    }}
                  />
                ) : (
                  <span className="text-muted-foreground">{r.enabled ? 'Yes' : 'No'}</span>
                )}
              </Td>
              <Td className="text-right tabular-nums" data-active-count={r.active_count}>
                {r.active_count}
              </Td>
              <Td>
                <div className="flex justify-end gap-1">
                  {r.policies.update ? (
                    <Button
                      size="icon-sm"
                      variant="ghost"
                      aria-label={`Edit ${r.name}`}
                      onClick={() => props.onEdit(r)}
                    >
                      <Pencil aria-hidden />
                    </Button>
                  ) : null}
                  {r.policies.delete ? (
                    <Button
                      size="icon-sm"
                      variant="ghost"
                      aria-label={`Delete ${r.name}`}
                      onClick={() => props.onDelete(r)}
                    >
                      <Trash2 aria-hidden />
                    </Button>
                  ) : null}
                </div>
              </Td>
            </tr>
          );
        })}
      </TBody>
    </Table>
  );
}

function ScopeName({ tenantId, rule }: { tenantId: string; rule: AlertRule }) {
  const options = useScopeOptions(tenantId, rule.scope.kind);
  if (rule.scope.kind === 'organisation') return <span>Every device</span>;
  const name = options.find((o) => o.value === rule.scope.id)?.label;
  return (
    <span>
      <span className="text-muted-foreground">{entryLabel[rule.scope.kind]}: </span>
      {name ?? '…'}
    </span>
  );
}
