import { channels, type Latest } from '@/api/firmware';
import { Card } from '@/components/ui/card';
import { Skeleton } from '@/components/ui/skeleton';
import { ago, dateTime } from '@/lib/format';
import { byNewest, channelLabel } from './words';

// The newest version per channel (each major its own: stable may offer 6.49.x to v6 routers and 7.x to v7 ones),
// as the routers reported it at their last check. Channels no router reported stay "not reported".

export function LatestCard(props: { latest: Latest[]; checkedAt: string | null; loading: boolean }) {
  // The four channels always, in MikroTik's order; any other the server reports after them.
  const named = [
    ...channels,
    ...new Set(props.latest.map((l) => l.channel).filter((c) => !channels.includes(c as never))),
  ];
  return (
    <Card aria-labelledby="latest-title">
      <header className="flex items-start justify-between gap-4 border-b px-4 py-3">
        <div className="grid gap-0.5">
          <h2 id="latest-title" className="text-[13px] font-semibold">
            Latest versions
          </h2>
          <p className="text-xs text-muted-foreground" data-last-checked={props.checkedAt ?? ''}>
            {props.checkedAt ? (
              <>
                As the routers reported them; last checked{' '}
                <time dateTime={props.checkedAt} title={dateTime(props.checkedAt)}>
                  {ago(props.checkedAt)}
                </time>
              </>
            ) : (
              'No router has been checked yet.'
            )}
          </p>
        </div>
      </header>
      {props.loading ? (
        <div className="p-4">
          <Skeleton className="h-10 w-full" />
        </div>
      ) : (
        <dl className="grid gap-px bg-border sm:grid-cols-2 lg:grid-cols-4">
          {named.map((c) => {
            const versions = props.latest.filter((l) => l.channel === c).sort((a, b) => byNewest(a.version, b.version));
            return (
              <div key={c} className="grid gap-1 bg-card px-4 py-3" data-channel={c}>
                <dt className="text-xs text-muted-foreground">{channelLabel[c] ?? c}</dt>
                <dd className="flex flex-wrap gap-x-3 gap-y-0.5" data-latest>
                  {versions.length === 0 ? (
                    <span className="text-[13px] text-muted-foreground">Not reported</span>
                  ) : (
                    versions.map((l) => (
                      <span key={l.version} className="font-mono text-[13px] font-medium" data-version={l.version}>
                        {l.version}
                      </span>
                    ))
                  )}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
    </Card>
  );
}
