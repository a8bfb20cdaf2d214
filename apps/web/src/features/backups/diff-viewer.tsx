import { useQuery } from '@tanstack/react-query';
import { EyeOff } from 'lucide-react';
import { useMemo, useState } from 'react';
import {
  type ConfigVersion,
  type DiffItem,
  diffQuery,
  type MenuDiff,
  type PropChange,
  type SemanticDiff,
} from '@/api/config-backups';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Select } from '@/components/ui/select';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { dateTime } from '@/lib/format';
import { RscLine } from './rsc-code';
import { type Cell, sideBySide } from './side-by-side';
import { menuName, triggerLabel } from './words';

// Two versions of a device's configuration compared: what changed per menu (added, removed, changed property by
// property, moved), and the normalised texts side by side.

export type Pair = { from: string; to: string };

/** Past this many rows the line view waits for a click: a 1 MB config rewritten is tens of thousands of lines. */
const ROW_LIMIT = 1500;

export function DiffViewer(props: {
  tenantId: string;
  deviceId: string;
  versions: ConfigVersion[];
  pair: Pair;
  onPair: (p: Pair) => void;
}) {
  const { pair } = props;
  const [view, setView] = useState<'changes' | 'lines'>('changes');
  const q = useQuery(diffQuery(props.tenantId, props.deviceId, pair.from, pair.to));
  // A configuration restored appears twice in the timeline (same content, same id): offer it once, its latest.
  const distinct = props.versions.filter((v, i, all) => all.findIndex((x) => x.id === v.id) === i);
  const options = distinct.map((v) => ({
    value: v.id,
    label: `${dateTime(v.created_at)} · ${v.checkpoint_name ? `“${v.checkpoint_name}”` : triggerLabel[v.trigger]} · ${v.id.slice(0, 8)}`,
  }));
  const d = q.data;
  return (
    <Card data-diff-viewer>
      <CardHeader
        title="Compare versions"
        description="What changed from the older version (left) to the newer one (right)."
        actions={<ViewPicker value={view} onChange={setView} />}
      />
      <div className="grid gap-3 border-b p-3 sm:grid-cols-2">
        <Field id="diff-from" label="From">
          <Select
            id="diff-from"
            value={pair.from}
            onValueChange={(from) => props.onPair({ ...pair, from })}
            options={options}
          />
        </Field>
        <Field id="diff-to" label="To">
          <Select
            id="diff-to"
            value={pair.to}
            onValueChange={(to) => props.onPair({ ...pair, to })}
            options={options}
          />
        </Field>
      </div>
      {q.isPending ? (
        <Skeleton className="m-4 h-32" />
      ) : q.error || !d ? (
        <p className="p-4 text-[13px] text-destructive" role="alert">
          Could not compare these versions: {q.error?.message}
        </p>
      ) : (
        <div className={cn('grid gap-3 p-4', q.isPlaceholderData && 'opacity-60')} data-diff-changes={d.changes}>
          {d.redacted ? (
            <p className="flex items-start gap-2 rounded-md border border-info/30 bg-info/10 px-3 py-2 text-xs text-info">
              <EyeOff className="mt-px size-3.5 shrink-0" aria-hidden />
              Secrets (passwords, keys) are hidden in this comparison: your role may not see them. A changed secret
              shows as a change between two hidden values.
            </p>
          ) : null}
          {d.equal ? (
            <p className="text-[13px] text-muted-foreground">These two versions are the same configuration.</p>
          ) : view === 'changes' ? (
            <Semantic diff={d.semantic} count={d.changes} />
          ) : (
            <Lines unified={d.unified} />
          )}
        </div>
      )}
    </Card>
  );
}

function ViewPicker({ value, onChange }: { value: 'changes' | 'lines'; onChange: (v: 'changes' | 'lines') => void }) {
  const views = [
    ['changes', 'Changes'],
    ['lines', 'Side by side'],
  ] as const;
  return (
    <div role="radiogroup" aria-label="Comparison view" className="flex rounded-md border p-0.5">
      {views.map(([v, label]) => (
        // biome-ignore lint/a11y/useSemanticElements: a segmented control styled as buttons
        <button
          key={v}
          type="button"
          role="radio"
          aria-checked={v === value}
          onClick={() => onChange(v)}
          className={cn(
            'rounded px-2 py-0.5 text-xs font-medium text-muted-foreground hover:text-foreground',
            v === value && 'bg-accent text-foreground',
          )}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

// --- What changed, per menu ------------------------------------------------------------------------------------

function label(i: DiffItem): string {
  if (i.origin === 'singleton') return '(settings)';
  if (i.origin === 'other') return i.text ?? '';
  return i.key.startsWith('#') ? `item ${i.key}` : i.key;
}

/** Properties not already named in the item's key, as RouterOS writes them. */
function propsText(i: DiffItem): string {
  const shown = new Set(i.key.split(' ').map((p) => p.split('=')[0]));
  return Object.entries(i.props)
    .filter(([k]) => !shown.has(k))
    .map(([k, v]) => `${k}=${/[\s";]/.test(v) || v === '' ? JSON.stringify(v) : v}`)
    .join(' ');
}

const unset = <span className="text-muted-foreground italic">(unset)</span>;

function Change({ c }: { c: PropChange }) {
  return (
    <li className="flex flex-wrap items-baseline gap-x-1.5 font-mono text-xs" data-prop={c.name}>
      <span className="text-muted-foreground">{c.name}:</span>
      {c.old === undefined ? unset : <del className="text-destructive">{c.old}</del>}
      <span aria-hidden className="text-muted-foreground">
        →
      </span>
      <span className="sr-only">becomes</span>
      {c.new === undefined ? unset : <ins className="text-success no-underline">{c.new}</ins>}
    </li>
  );
}

function Item({ tone, word, item }: { tone: 'success' | 'danger'; word: string; item: DiffItem }) {
  const rest = item.origin === 'other' ? '' : propsText(item);
  return (
    <li className="flex items-baseline gap-2" data-change={word}>
      <Badge tone={tone}>{word}</Badge>
      <span className="min-w-0">
        <RscLine text={label(item)} className="font-medium" /> {rest ? <RscLine text={rest} /> : null}
      </span>
    </li>
  );
}

function Menu({ m }: { m: MenuDiff }) {
  return (
    <section className="grid gap-2 rounded-md border p-3" data-diff-menu={m.path}>
      <h3>
        <RscLine text={menuName(m.path)} />
      </h3>
      <ul className="grid gap-1.5 text-[13px]">
        {m.removed.map((i) => (
          <Item key={`r${i.key}${i.line}`} tone="danger" word="removed" item={i} />
        ))}
        {m.added.map((i) => (
          <Item key={`a${i.key}${i.line}`} tone="success" word="added" item={i} />
        ))}
        {m.changed.map((c) => (
          <li key={`c${c.key}`} className="grid gap-1" data-change="changed">
            <span className="flex items-baseline gap-2">
              <Badge tone="warning">changed</Badge>
              <RscLine text={label(c.b)} className="font-medium" />
            </span>
            <ul className="grid gap-0.5 pl-4">
              {c.changes.map((p) => (
                <Change key={p.name} c={p} />
              ))}
            </ul>
          </li>
        ))}
        {m.moved.map((mv) => (
          <li key={`m${mv.key}`} className="flex items-baseline gap-2" data-change="moved">
            <Badge tone="info">moved</Badge>
            <span>
              <RscLine text={mv.key.startsWith('#') ? `item ${mv.key}` : mv.key} /> from position {mv.from + 1} to{' '}
              {mv.to + 1}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** What changed, per menu (also the restore preview's summary, features/changes). */
export function Semantic({ diff, count }: { diff: SemanticDiff; count: number }) {
  return (
    <>
      <p className="text-[13px]" data-diff-count>
        {count} change{count === 1 ? '' : 's'} in {diff.menus.length} menu{diff.menus.length === 1 ? '' : 's'}
      </p>
      {diff.header.length > 0 ? (
        <section className="grid gap-2 rounded-md border p-3" data-diff-menu="header">
          <h3 className="text-[13px] font-medium">Device</h3>
          <ul className="grid gap-0.5">
            {diff.header.map((c) => (
              <Change key={c.name} c={c} />
            ))}
          </ul>
        </section>
      ) : null}
      {diff.menus.map((m) => (
        <Menu key={m.path} m={m} />
      ))}
    </>
  );
}

// --- Side by side ----------------------------------------------------------------------------------------------

const cellTone = { same: '', del: 'bg-destructive/10', add: 'bg-success/10' } as const;

function Half({ cell, side }: { cell: Cell | null; side: 'old' | 'new' }) {
  if (!cell) return <div className="col-span-2 bg-muted/50" />;
  return (
    <>
      <span
        className={cn('select-none px-2 text-right font-mono text-[11px] text-muted-foreground', cellTone[cell.kind])}
      >
        {cell.n}
      </span>
      <div className={cn('min-w-0 pr-2', cellTone[cell.kind])} data-line={cell.kind === 'same' ? undefined : side}>
        {cell.kind !== 'same' ? <span className="sr-only">{cell.kind === 'del' ? 'removed: ' : 'added: '}</span> : null}
        <RscLine text={cell.text} />
      </div>
    </>
  );
}

function Lines({ unified }: { unified: string }) {
  const rows = useMemo(() => sideBySide(unified), [unified]);
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, ROW_LIMIT);
  return (
    <div className="overflow-x-auto rounded-md border" data-side-by-side>
      <div className="grid min-w-[720px] grid-cols-[3rem_1fr_3rem_1fr] leading-5">
        <span className="col-span-2 border-b bg-surface px-2 py-1 text-xs font-medium text-muted-foreground">
          Older
        </span>
        <span className="col-span-2 border-b border-l bg-surface px-2 py-1 text-xs font-medium text-muted-foreground">
          Newer
        </span>
        {shown.map((r, i) =>
          r.kind === 'hunk' ? (
            <span
              // Rows of a diff have no identity beyond their position.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              key={i}
              className="col-span-4 border-y bg-muted px-2 font-mono text-[11px] text-muted-foreground"
            >
              {r.text}
            </span>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div key={i} className="contents">
              <Half cell={r.left} side="old" />
              <Half cell={r.right} side="new" />
            </div>
          ),
        )}
      </div>
      {rows.length > shown.length ? (
        <div className="border-t p-2 text-center">
          <Button variant="ghost" size="sm" onClick={() => setAll(true)}>
            Show all {rows.length} lines
          </Button>
        </div>
      ) : null}
    </div>
  );
}
