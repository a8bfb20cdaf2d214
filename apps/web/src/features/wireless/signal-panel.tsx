import { useQuery } from '@tanstack/react-query';
import { TrendingDown, X } from 'lucide-react';
import { useState } from 'react';
import { type SignalRange, signalHistoryQuery } from '@/api/wireless';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { ago } from '@/lib/format';
import { Segmented } from '../changes/segmented';
import { SignalChart } from './signal-chart';
import { rangeSeconds, ranges } from './words';

// One client's signal history on this device: the window switch, the chart, and the trend detector's note when
// the client's signal has fallen against its baseline.

export function SignalPanel(props: {
  tenantId: string;
  deviceId: string;
  mac: string;
  name: string;
  onClose: () => void;
}) {
  const [range, setRange] = useState<SignalRange>('24h');
  const q = useQuery(signalHistoryQuery(props.tenantId, props.deviceId, props.mac, range));
  // The window ends now (read when the answer came), so fresh samples sit at the right edge.
  const to = q.dataUpdatedAt || Date.now();
  const from = to - rangeSeconds[range] * 1000;
  const trend = q.data?.trend;

  return (
    <Card aria-label={`Signal of ${props.name}`} data-signal-panel={props.mac}>
      <CardHeader
        title={`Signal of ${props.name}`}
        description={`${props.mac}${q.data ? ` · ${q.data.resolution === 'raw' ? 'every sample' : 'hourly averages'}` : ''}`}
        actions={
          <div className="flex items-center gap-2">
            <Segmented label="Window" value={range} options={ranges} onChange={setRange} />
            <Button size="sm" variant="ghost" aria-label="Close the signal chart" onClick={props.onClose}>
              <X aria-hidden />
            </Button>
          </div>
        }
      />
      <div className="grid gap-3 p-4">
        {trend?.falling ? (
          <p
            role="status"
            data-trend
            className="flex items-center gap-2 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-[13px] text-warning"
          >
            <TrendingDown className="size-4" aria-hidden />
            Signal falling: {trend.drop_db.toFixed(1)} dB down since {ago(trend.baseline_at)} (from{' '}
            {Math.round(trend.baseline_dbm)} to {Math.round(trend.recent_dbm)} dBm).
          </p>
        ) : null}
        {q.isPending ? (
          <Skeleton className="h-64" />
        ) : q.isError ? (
          <p role="alert" className="text-[13px] text-destructive">
            {q.error.message}
          </p>
        ) : q.data.points.length === 0 ? (
          <p className="text-[13px] text-muted-foreground" data-no-samples>
            No samples in this window yet: they are taken at every wireless poll.
          </p>
        ) : (
          <SignalChart points={q.data.points} from={from} to={to} />
        )}
      </div>
    </Card>
  );
}
