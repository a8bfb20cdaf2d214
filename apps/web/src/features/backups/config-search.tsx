import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Loader2, Search } from 'lucide-react';
import { useState } from 'react';
import { configSearchQuery } from '@/api/config-backups';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { dateTime } from '@/lib/format';
import { RscLine } from './rsc-code';

// Which devices' latest configuration contains a string, optionally only under one menu ("8.8.8.8" in /ip dns),
// with the matching lines. The server scans every latest version, so it runs on submit, not on each key.

export function ConfigSearch({ tenantId }: { tenantId: string }) {
  const [q, setQ] = useState('');
  const [path, setPath] = useState('');
  const [asked, setAsked] = useState<{ q: string; path: string } | null>(null);
  const r = useQuery(configSearchQuery(tenantId, asked?.q ?? '', asked?.path ?? ''));
  const tooShort = q.trim().length < 2;
  return (
    <Card>
      <CardHeader title="Search configurations" description="The latest version of every device, line by line." />
      <form
        className="grid items-end gap-3 border-b p-3 sm:grid-cols-[1fr_220px_auto]"
        onSubmit={(e) => {
          e.preventDefault();
          if (!tooShort) setAsked({ q: q.trim(), path: path.trim() });
        }}
      >
        <Field id="config-q" label="Text">
          <Input id="config-q" placeholder="e.g. 8.8.8.8" value={q} onChange={(e) => setQ(e.target.value)} />
        </Field>
        <Field id="config-path" label="Menu (optional)">
          <Input
            id="config-path"
            className="font-mono"
            placeholder="/ip dns"
            value={path}
            onChange={(e) => setPath(e.target.value)}
          />
        </Field>
        <Button type="submit" disabled={tooShort}>
          {r.isFetching ? <Loader2 className="animate-spin" aria-hidden /> : <Search aria-hidden />}
          Search
        </Button>
      </form>
      {!asked ? null : r.isPending ? (
        <p className="p-4 text-[13px] text-muted-foreground">Searching…</p>
      ) : r.error ? (
        <p className="p-4 text-[13px] text-destructive" role="alert">
          The search failed: {r.error.message}
        </p>
      ) : r.data.items.length === 0 ? (
        <EmptyState icon={Search} title="No configuration matches">
          {`None of the ${r.data.searched} latest configurations contains “${asked.q}”${asked.path ? ` under ${asked.path}` : ''}.`}
        </EmptyState>
      ) : (
        <div className="grid" data-search-results>
          <p className="border-b px-4 py-2 text-xs text-muted-foreground">
            {r.data.items.length} of {r.data.searched} devices match
            {r.data.truncated ? ' (showing the first ones: narrow the search for the rest)' : ''}
          </p>
          <ul className="divide-y">
            {r.data.items.map((d) => (
              <li key={d.device_id} className="grid gap-1.5 px-4 py-3" data-search-device={d.device_id}>
                <p className="flex flex-wrap items-baseline gap-x-2 text-[13px]">
                  <Link
                    to="/devices/$deviceId/$tab"
                    params={{ deviceId: d.device_id, tab: 'backups' }}
                    className="font-medium hover:underline"
                  >
                    {d.name}
                  </Link>
                  <span className="text-xs text-muted-foreground">
                    version of {dateTime(d.created_at)} · {d.matches.length} line{d.matches.length === 1 ? '' : 's'}
                  </span>
                </p>
                <ul className="grid gap-0.5 rounded-md border bg-surface px-3 py-2">
                  {d.matches.map((m) => (
                    <li key={m.line} className="flex gap-3">
                      <span className="w-10 shrink-0 text-right font-mono text-[11px] text-muted-foreground">
                        {m.line}
                      </span>
                      <span className="min-w-0">
                        <RscLine text={m.path} className="mr-2" />
                        <RscLine text={m.text} />
                      </span>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
