import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { BellRing, Loader2, Plus, Send } from 'lucide-react';
import { useState } from 'react';
import { type Channel, type ChannelTest, channelsQuery, deleteChannel, testChannel } from '@/api/notification-channels';
import { useCan } from '@/auth/session';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Confirm } from '@/components/ui/confirm';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { ChannelDialog } from './channel-dialog';
import { destinationOf } from './channel-form';
import { kindLabel, reasonText, severityLabel, severityOrder, testText } from './words';

// Where alerts go: the organisation's email, webhook, Slack and Teams channels, with how their last deliveries went
// and a test button. Admins create and change them (they hold credentials); operators may send a test.

export function ChannelsPage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="notifications.read">
      <Channels key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

function Channels({ tenantId }: { tenantId: string }) {
  const canCreate = useCan('notifications.write');
  const list = useQuery(channelsQuery(tenantId));
  const search = useSearch({ from: '/_app/notification-channels' });
  const navigate = useNavigate({ from: '/notification-channels' });
  const setCreating = (open: boolean) => navigate({ search: open ? { new: true } : {}, replace: true });
  const [editing, setEditing] = useState<Channel | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);
  const [results, setResults] = useState<Record<string, ChannelTest>>({});
  const remove = useApiMutation(deleteChannel, { success: (_r, v) => `${v.channel.name} deleted` });
  const test = useApiMutation(testChannel);
  const items = list.data ?? [];

  return (
    <>
      <PageHeader
        title="Notification channels"
        description="Where alerts are sent: email, webhooks, Slack and Teams. Alert rules choose their channels."
        actions={
          canCreate ? (
            <Button variant="primary" onClick={() => setCreating(true)}>
              <Plus aria-hidden /> New channel
            </Button>
          ) : null
        }
      />
      <Card>
        {list.isPending ? (
          <TableSkeleton cols={5} />
        ) : list.error ? (
          <p role="alert" className="p-4 text-[13px] text-destructive">
            Could not load the channels: {list.error.message}
          </p>
        ) : items.length === 0 ? (
          <EmptyState icon={BellRing} title="No notification channels yet">
            {canCreate
              ? 'Add an email address, a webhook, Slack or Teams, send a test, then choose it in an alert rule.'
              : 'An admin of your organisation adds the places alerts are sent to.'}
          </EmptyState>
        ) : (
          <Table>
            <THead>
              <tr>
                <Th>Name</Th>
                <Th>Type</Th>
                <Th>Sends to</Th>
                <Th>Severities</Th>
                <Th>Deliveries</Th>
                <Th className="w-56">
                  <span className="sr-only">Actions</span>
                </Th>
              </tr>
            </THead>
            <TBody>
              {items.map((c) => {
                const result = results[c.id];
                const testing = test.isPending && test.variables?.channel.id === c.id;
                return (
                  <tr key={c.id} data-channel={c.name}>
                    <Td className="font-medium">
                      {c.name}
                      {c.enabled ? null : (
                        <Badge className="ml-2" tone="neutral">
                          Disabled
                        </Badge>
                      )}
                    </Td>
                    <Td>{kindLabel[c.kind]}</Td>
                    <Td className="max-w-72 truncate font-mono text-xs text-muted-foreground">{destinationOf(c)}</Td>
                    <Td className="text-muted-foreground">
                      {severityOrder
                        .filter((s) => c.severities.includes(s))
                        .map((s) => severityLabel[s])
                        .join(', ')}
                    </Td>
                    <Td>
                      <Deliveries channel={c} />
                      {result ? (
                        <p
                          role="status"
                          data-test-result={result.ok ? 'ok' : 'failed'}
                          className={result.ok ? 'text-xs text-success' : 'text-xs text-destructive'}
                        >
                          {testText(result)}
                        </p>
                      ) : null}
                    </Td>
                    <Td className="text-right whitespace-nowrap">
                      {c.policies.test ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          disabled={testing}
                          aria-label={`Send test to ${c.name}`}
                          onClick={() =>
                            test.mutate(
                              { tenantId, channel: c },
                              { onSuccess: (r) => setResults((all) => ({ ...all, [c.id]: r })) },
                            )
                          }
                        >
                          {testing ? <Loader2 className="animate-spin" aria-hidden /> : <Send aria-hidden />}
                          Send test
                        </Button>
                      ) : null}
                      {c.policies.update ? (
                        <Button size="sm" variant="ghost" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                          Edit
                        </Button>
                      ) : null}
                      {c.policies.delete ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          className="text-destructive hover:text-destructive"
                          onClick={() => setDeleting(c)}
                          aria-label={`Delete ${c.name}`}
                        >
                          Delete
                        </Button>
                      ) : null}
                    </Td>
                  </tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>
      {canCreate ? (
        <ChannelDialog
          tenantId={tenantId}
          open={search.new === true || editing !== null}
          channel={editing}
          onOpenChange={(o) => {
            if (!o) {
              setEditing(null);
              if (search.new) setCreating(false);
            }
          }}
        />
      ) : null}
      <Confirm
        open={deleting !== null}
        onOpenChange={(o) => !o && setDeleting(null)}
        title={`Delete ${deleting?.name ?? ''}?`}
        description="Alert rules that send to it keep their other channels. This cannot be undone."
        confirm="Delete channel"
        busy={remove.isPending}
        onConfirm={() =>
          deleting && remove.mutate({ tenantId, channel: deleting }, { onSettled: () => setDeleting(null) })
        }
      />
    </>
  );
}

/** The last delivery and, when some failed lately, how many and why. */
function Deliveries({ channel: c }: { channel: Channel }) {
  return (
    <div className="grid gap-0.5 text-xs">
      <span className="text-muted-foreground" title={c.last_sent_at ? dateTime(c.last_sent_at) : undefined}>
        {c.last_sent_at ? `Last sent ${ago(c.last_sent_at)}` : 'Nothing sent yet'}
      </span>
      {c.failed_24h > 0 ? (
        <span className="text-destructive" data-channel-failures>
          {c.failed_24h} failed in 24 h{c.last_error ? `: ${reasonText(c.last_error)}` : ''}
        </span>
      ) : c.last_error ? (
        // An older failure: shown for context, not as a problem now.
        <span className="text-muted-foreground">Last failure: {reasonText(c.last_error)}</span>
      ) : null}
    </div>
  );
}
