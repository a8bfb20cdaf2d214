import { ChevronDown, Download, GitCompare } from 'lucide-react';
import type { ReactNode } from 'react';
import { type BackupPolicies, binaryUrl, type ConfigVersion, exportUrl } from '@/api/config-backups';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from '@/components/ui/dropdown-menu';
import { cn } from '@/lib/cn';
import { dateTime } from '@/lib/format';
import { bytes } from '../fleet/format';
import type { Pair } from './diff-viewer';
import { triggerLabel } from './words';

// A device's configuration versions, newest first, each a time range: created when first seen, unchanged until
// the last backup that found the same configuration.

const triggerTone = {
  schedule: 'neutral',
  manual: 'outline',
  checkpoint: 'info',
  config_change: 'warning',
  pre_change: 'outline',
  post_change: 'outline',
} as const;

function changesText(n: number | null) {
  if (n === null) return 'first version';
  if (n === 0) return 'no changes';
  return `${n} change${n === 1 ? '' : 's'}`;
}

export function Timeline(props: {
  tenantId: string;
  deviceId: string;
  deviceName: string;
  versions: ConfigVersion[];
  policies: BackupPolicies;
  pair: Pair | null;
  onCompare: (p: Pair) => void;
  /** An action on each version but the current one (Restore…, from features/changes). */
  restore?: ((v: ConfigVersion) => ReactNode) | undefined;
}) {
  const vs = props.versions;
  return (
    <ol className="grid" aria-label="Configuration versions">
      {vs.map((v, i) => {
        const previous = vs[i + 1];
        const inPair = props.pair?.from === v.id || props.pair?.to === v.id;
        return (
          <li
            // A restore brings back an earlier configuration: the same content (id) as a later version row.
            key={v.version_id}
            data-version={v.id}
            data-trigger={v.trigger}
            className={cn('relative grid gap-1 border-b py-3 pr-4 pl-9 last:border-b-0', inPair && 'bg-accent/40')}
          >
            {/* The timeline's rail and this version's dot. */}
            <span aria-hidden className="absolute top-0 bottom-0 left-4 w-px bg-border" />
            <span
              aria-hidden
              className={cn(
                'absolute top-4 left-[13px] size-[7px] rounded-full border bg-card',
                i === 0 && 'border-foreground bg-foreground',
              )}
            />
            <div className="flex flex-wrap items-start justify-between gap-2">
              <p className="text-[13px]">
                <span className="text-muted-foreground">Created </span>
                <time dateTime={v.created_at} className="font-medium">
                  {dateTime(v.created_at)}
                </time>
                <span className="text-muted-foreground"> · unchanged until </span>
                <time dateTime={v.unchanged_until}>{dateTime(v.unchanged_until)}</time>
                {i === 0 ? <span className="text-muted-foreground"> (current)</span> : null}
              </p>
              <div className="flex items-center gap-1.5">
                {previous ? (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-label={`Show changes of the version created ${dateTime(v.created_at)}`}
                    onClick={() => props.onCompare({ from: previous.id, to: v.id })}
                  >
                    <GitCompare aria-hidden /> Changes
                  </Button>
                ) : null}
                {i > 0 && props.restore ? props.restore(v) : null}
                <Downloads {...props} v={v} />
              </div>
            </div>
            <div className="flex flex-wrap items-center gap-1.5 text-xs">
              <Badge tone={triggerTone[v.trigger]}>{triggerLabel[v.trigger]}</Badge>
              {v.checkpoint_name ? <span className="font-medium">“{v.checkpoint_name}”</span> : null}
              <span className="text-muted-foreground" data-changes={v.changes ?? ''}>
                {changesText(v.changes)}
              </span>
              {v.method === 'api' ? (
                <Badge tone="warning" data-method="api">
                  over the API: SSH unavailable
                </Badge>
              ) : null}
              {!v.secrets_included ? (
                <Badge tone="warning" title="The device user lacks the “sensitive” policy">
                  without secrets
                </Badge>
              ) : null}
              <span className="text-muted-foreground">
                {[v.routeros_version && `RouterOS ${v.routeros_version}`, bytes(v.size), v.id.slice(0, 8)]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </div>
            <Who v={v} />
          </li>
        );
      })}
    </ol>
  );
}

/** Who changed the configuration (from the router's log), and who asked for the backup. */
function Who({ v }: { v: ConfigVersion }) {
  const log = v.change_log ?? [];
  if (!v.changed_by && !v.requested_by && log.length === 0) return null;
  return (
    <div className="grid gap-0.5 text-xs text-muted-foreground">
      {v.changed_by ? (
        <p data-changed-by>
          Changed on the device by <span className="font-medium text-foreground">{v.changed_by}</span>
        </p>
      ) : null}
      {log.length > 0 ? (
        <ul className="grid gap-0.5 pl-3" aria-label="Changes the router logged">
          {log.slice(0, 10).map((c, i) => (
            // Log lines may repeat exactly; their order is their identity.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <li key={i} className="font-mono">
              {[c.what, c.action, c.user && `by ${c.user}`].filter(Boolean).join(' ')}
              {c.time ? ` · ${c.time}` : ''}
            </li>
          ))}
          {log.length > 10 ? <li>and {log.length - 10} more</li> : null}
        </ul>
      ) : null}
      {v.requested_by && (v.trigger === 'manual' || v.trigger === 'checkpoint') ? (
        <p>Requested by {v.requested_by}</p>
      ) : null}
    </div>
  );
}

function Downloads(props: {
  tenantId: string;
  deviceId: string;
  deviceName: string;
  policies: BackupPolicies;
  v: ConfigVersion;
}) {
  const { v, tenantId: t, deviceId: d } = props;
  const base = `${props.deviceName.replace(/[^A-Za-z0-9._-]+/g, '_')}-${v.created_at.slice(0, 10)}`;
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button size="sm" aria-label={`Download the version created ${dateTime(v.created_at)}`}>
          <Download aria-hidden /> Download <ChevronDown aria-hidden />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end">
        <DropdownMenuItem asChild>
          <a href={exportUrl(t, d, v.id)} download={`${base}.rsc`}>
            Export (.rsc){props.policies.secrets ? ', secrets hidden' : ''}
          </a>
        </DropdownMenuItem>
        {props.policies.secrets && v.secrets_included ? (
          <DropdownMenuItem asChild>
            <a href={exportUrl(t, d, v.id, true)} download={`${base}-with-secrets.rsc`}>
              Export with secrets (.rsc)
            </a>
          </DropdownMenuItem>
        ) : null}
        {props.policies.secrets && v.binary_size !== null ? (
          <DropdownMenuItem asChild>
            <a href={binaryUrl(t, d, v.id)} download={`${base}.backup`}>
              Binary backup (.backup), {bytes(v.binary_size)}
            </a>
          </DropdownMenuItem>
        ) : null}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
