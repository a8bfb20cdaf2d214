import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Loader2, Logs, Search } from 'lucide-react';
import { memo, useState } from 'react';
import { devicesQuery } from '@/api/devices';
import { type LogFilters, type LogSeverity, logsQuery } from '@/api/logs';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { type RangeId, ranges, severities, severityLabel, severityTone, timeOf } from './words';

// Log lines, newest first, with the filters a person narrows them by: text, severity, topic, time range (and the
// device, across the organisation). Text and topic apply on Enter; "Follow" looks for new lines every 5 seconds.

const TOPIC = /^[a-z0-9][a-z0-9_.-]{0,31}$/;
const ANY = 'any';

export function LogView(props: { tenantId: string; deviceId?: string }) {
  const [text, setText] = useState('');
  const [topic, setTopic] = useState('');
  const [applied, setApplied] = useState<{ q: string; topic: string }>({ q: '', topic: '' });
  const [chosen, setChosen] = useState<LogSeverity[]>([]);
  const [range, setRange] = useState<{ id: RangeId; from?: string }>({ id: 'all' });
  const [device, setDevice] = useState(ANY);
  const [follow, setFollow] = useState(false);
  const orgWide = props.deviceId === undefined;
  const deviceId = props.deviceId ?? (device === ANY ? undefined : device);
  const filters: LogFilters = {
    ...(deviceId ? { device_id: deviceId } : {}),
    ...(applied.q ? { q: applied.q } : {}),
    ...(applied.topic ? { topic: applied.topic } : {}),
    ...(chosen.length ? { severity: chosen.join(',') } : {}),
    ...(range.from ? { from: range.from } : {}),
  };
  const logs = useInfiniteQuery(logsQuery(props.tenantId, filters, follow));
  const lines = logs.data?.pages.flatMap((p) => p.items) ?? [];
  const topicBad = topic.trim() !== '' && !TOPIC.test(topic.trim());
  const seenTopics = [...new Set(lines.flatMap((l) => l.topics))].sort();
  const filtered = Object.keys(filters).some((k) => k !== 'device_id') || (orgWide && deviceId);

  return (
    <Card>
      <form
        className="grid items-end gap-3 border-b p-3 md:grid-cols-[minmax(12rem,1fr)_10rem_10rem_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          if (topicBad) return;
          const next = { q: text.trim(), topic: topic.trim() };
          // The same search again looks for new lines.
          if (next.q === applied.q && next.topic === applied.topic) void logs.refetch();
          else setApplied(next);
        }}
      >
        <Field id="logs-q" label="Message contains">
          <Input
            id="logs-q"
            type="search"
            placeholder="Press Enter to search"
            value={text}
            onChange={(e) => setText(e.target.value)}
          />
        </Field>
        <Field id="logs-topic" label="Topic" error={topicBad ? 'Lowercase letters, digits, . _ -' : undefined}>
          <Input
            id="logs-topic"
            list="logs-topics"
            placeholder="e.g. firewall"
            className="font-mono"
            value={topic}
            aria-invalid={topicBad || undefined}
            onChange={(e) => setTopic(e.target.value.toLowerCase())}
          />
          <datalist id="logs-topics">
            {seenTopics.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </Field>
        <Field id="logs-range" label="Time">
          <Select
            id="logs-range"
            value={range.id}
            onValueChange={(v) => {
              const r = ranges.find((x) => x.id === v) ?? ranges[0]!;
              setRange({ id: r.id, ...(r.ms ? { from: new Date(Date.now() - r.ms).toISOString() } : {}) });
            }}
            options={ranges.map((r) => ({ value: r.id, label: r.label }))}
          />
        </Field>
        <Button type="submit" disabled={topicBad}>
          <Search aria-hidden /> Search
        </Button>
        <div className="flex flex-wrap items-center gap-x-4 gap-y-2 md:col-span-4">
          <fieldset className="flex flex-wrap items-center gap-1">
            <legend className="float-left pr-1 text-xs text-muted-foreground">Severity</legend>
            {severities.map(([s, label]) => {
              const on = chosen.includes(s);
              return (
                <button
                  key={s}
                  type="button"
                  aria-pressed={on}
                  onClick={() => setChosen(on ? chosen.filter((x) => x !== s) : [...chosen, s])}
                  className={cn(
                    'h-6 rounded-full border px-2.5 text-xs font-medium text-muted-foreground hover:text-foreground',
                    on && 'border-foreground bg-accent text-foreground',
                  )}
                >
                  {label}
                </button>
              );
            })}
          </fieldset>
          {orgWide ? (
            <div className="w-56">
              <DeviceSelect tenantId={props.tenantId} value={device} onChange={setDevice} />
            </div>
          ) : null}
          <label className="ml-auto flex items-center gap-2 text-[13px]">
            <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
            Follow (new lines every 5 s)
            {follow && logs.isFetching ? <Loader2 className="size-3.5 animate-spin" aria-hidden /> : null}
          </label>
        </div>
      </form>
      {logs.isPending ? (
        <TableSkeleton cols={4} />
      ) : logs.error ? (
        <p role="alert" className="p-4 text-[13px] text-destructive">
          Could not load the log: {logs.error.message}
        </p>
      ) : lines.length === 0 ? (
        <EmptyState icon={Logs} title={filtered ? 'No lines match' : 'No log lines yet'}>
          {filtered
            ? 'Nothing matches these filters: widen them.'
            : 'TOD reads each router’s log as it polls it, and takes syslog from routers that send it.'}
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              <Th className="w-44">Time</Th>
              <Th className="w-24">Severity</Th>
              {orgWide ? <Th>Device</Th> : null}
              <Th>Topics</Th>
              <Th>Message</Th>
            </tr>
          </THead>
          <TBody>
            {lines.map((l) => (
              <tr key={`${l.time}-${l.id}`} data-log-line={l.severity}>
                <Td className="whitespace-nowrap text-muted-foreground tabular-nums">
                  <time dateTime={l.time} title={l.source === 'syslog' ? 'Received over syslog' : undefined}>
                    {timeOf(l.time)}
                  </time>
                </Td>
                <Td>
                  <Badge tone={severityTone[l.severity]}>{severityLabel[l.severity]}</Badge>
                </Td>
                {orgWide ? (
                  <Td className="whitespace-nowrap">
                    <Link
                      to="/devices/$deviceId/$tab"
                      params={{ deviceId: l.device_id, tab: 'logs' }}
                      className="font-medium hover:underline"
                    >
                      {l.device_name}
                    </Link>
                  </Td>
                ) : null}
                <Td className="text-xs whitespace-nowrap text-muted-foreground">{l.topics.join(', ')}</Td>
                <Td className="font-mono text-xs break-all" data-log-message>
                  {l.message}
                </Td>
              </tr>
            ))}
          </TBody>
        </Table>
      )}
      {logs.hasNextPage ? (
        <div className="border-t p-2 text-center">
          <Button variant="ghost" size="sm" disabled={logs.isFetchingNextPage} onClick={() => logs.fetchNextPage()}>
            {logs.isFetchingNextPage ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Load more
          </Button>
        </div>
      ) : null}
    </Card>
  );
}

/** Every device by name; memoised, since a large fleet makes a long list and the filters re-render on each key. */
const DeviceSelect = memo(function DeviceSelect(props: {
  tenantId: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const devices = useQuery(devicesQuery(props.tenantId, { fields: ['name'], sort: 'name' }));
  return (
    <Select
      aria-label="Device"
      value={props.value}
      onValueChange={props.onChange}
      options={[
        { value: ANY, label: 'Every device' },
        ...(devices.data?.items ?? []).map((d) => ({ value: d.id, label: d.name ?? d.id })),
      ]}
    />
  );
});
