import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { ChevronRight } from 'lucide-react';
import { Fragment, useState } from 'react';
import { type Alert, alertMetricsQuery } from '@/api/alerts';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { ago, dateTime } from '@/lib/format';
import { AlertActions } from './alert-actions';
import { AlertDetail } from './alert-detail';
import {
  alertDuration,
  alertSource,
  formatValue,
  operatorLabel,
  severityLabel,
  severityTone,
  stateLabel,
} from './words';

/** Alerts as rows: severity, device, rule, value against threshold, when and how long, markers, actions. */
export function AlertList(props: { tenantId: string; alerts: Alert[]; showDevice?: boolean }) {
  const [open, setOpen] = useState<string | null>(null);
  const metrics = useQuery(alertMetricsQuery(props.tenantId));
  const label = (m: string) => metrics.data?.find((x) => x.metric === m)?.label ?? m;
  const showDevice = props.showDevice ?? true;
  const cols = showDevice ? 8 : 7;
  return (
    <Table>
      <THead>
        <tr>
          <Th className="w-8">
            <span className="sr-only">Details</span>
          </Th>
          <Th>Severity</Th>
          {showDevice ? <Th>Device</Th> : null}
          <Th>Rule</Th>
          <Th>Value</Th>
          <Th>Started</Th>
          <Th>Duration</Th>
          <Th>
            <span className="sr-only">Actions</span>
          </Th>
        </tr>
      </THead>
      <TBody>
        {props.alerts.map((a) => (
          <Fragment key={a.id}>
            <tr data-alert={a.id} data-state={a.state} data-severity={a.severity}>
              <Td className="pr-0">
                <Button
                  size="icon-sm"
                  variant="ghost"
                  aria-expanded={open === a.id}
                  aria-label={`${open === a.id ? 'Hide' : 'Show'} the details of ${a.rule_name} on ${alertSource(a)}`}
                  onClick={() => setOpen(open === a.id ? null : a.id)}
                >
                  <ChevronRight className={cn('transition-transform', open === a.id && 'rotate-90')} aria-hidden />
                </Button>
              </Td>
              <Td>
                <Badge tone={severityTone[a.severity]}>{severityLabel[a.severity]}</Badge>
              </Td>
              {showDevice ? (
                <Td>
                  {a.device_id ? (
                    <Link
                      to="/devices/$deviceId/$tab"
                      params={{ deviceId: a.device_id, tab: 'alerts' }}
                      className="font-medium hover:underline"
                    >
                      {alertSource(a)}
                    </Link>
                  ) : (
                    // A site rule's alert belongs to a site or sector, not a device.
                    <span className="font-medium" data-owner={a.owner}>
                      {alertSource(a)}
                    </span>
                  )}
                </Td>
              ) : null}
              <Td>
                <div className="font-medium">{a.rule_name}</div>
                <div className="text-xs text-muted-foreground">
                  {label(a.metric)}
                  {a.target ? ` · ${a.target}` : ''}
                </div>
                <Markers a={a} />
              </Td>
              <Td className="whitespace-nowrap tabular-nums" data-value>
                {formatValue(a.value, a.unit)}{' '}
                <span className="text-muted-foreground">
                  ({operatorLabel[a.operator]} {formatValue(a.threshold, a.unit)})
                </span>
              </Td>
              <Td className="whitespace-nowrap text-muted-foreground" title={dateTime(a.started_at)}>
                {ago(a.started_at)}
              </Td>
              <Td className="whitespace-nowrap tabular-nums" data-duration>
                {alertDuration(a.duration_seconds)}
              </Td>
              <Td>
                <AlertActions tenantId={props.tenantId} alert={a} />
              </Td>
            </tr>
            {open === a.id ? (
              <tr>
                <td colSpan={cols} className="bg-surface/40">
                  <AlertDetail tenantId={props.tenantId} alert={a} />
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </TBody>
    </Table>
  );
}

/** State (when not plainly firing) and why notifications may be held. */
function Markers({ a }: { a: Alert }) {
  const marks: { key: string; text: string; tone: 'neutral' | 'info' | 'warning' | 'success' }[] = [];
  if (a.state !== 'firing')
    marks.push({ key: 'state', text: stateLabel[a.state], tone: a.state === 'resolved' ? 'success' : 'info' });
  if (a.flapping) marks.push({ key: 'flapping', text: 'Flapping', tone: 'warning' });
  if (a.in_maintenance) marks.push({ key: 'maintenance', text: 'In maintenance', tone: 'neutral' });
  if (a.silenced) marks.push({ key: 'silenced', text: 'Silenced', tone: 'neutral' });
  if (marks.length === 0) return null;
  return (
    <div className="mt-1 flex flex-wrap gap-1">
      {marks.map((m) => (
        <Badge key={m.key} tone={m.tone} data-marker={m.key}>
          {m.text}
        </Badge>
      ))}
    </div>
  );
}
