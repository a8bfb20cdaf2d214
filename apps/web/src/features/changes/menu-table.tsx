import { useQuery } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, Pencil, Plus, Power, PowerOff, RefreshCw, Rows3, Trash2 } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { type Change, type MenuRow, rowsQuery } from '@/api/changes';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { TableSkeleton } from '@/components/ui/skeleton';
import { Table, TBody, Td, THead, Th } from '@/components/ui/table';
import { cn } from '@/lib/cn';
import { menuName } from '../backups/words';
import { bytes } from '../fleet/format';
import { configOf, describe, pendingFor, rowLabel } from './change-set';
import { useEditor } from './editor';
import { RowDialog } from './row-dialog';

// The rows of one menu as the device has them now: flags (dynamic, built-in, disabled, invalid), properties,
// comments and, for firewall menus, rule counters. Operators add, edit, delete, enable/disable and move rows;
// each action becomes an edit in the change set (editor.tsx), never a command sent at once.

export type Column = { key: string; label: string };

export function MenuTable(props: {
  path: string;
  title?: string;
  description?: string;
  /** Properties shown as their own columns; the rest are listed together. */
  columns?: Column[];
  /** Bytes and packets columns (firewall rules). */
  counters?: boolean;
  empty?: string;
}) {
  const editor = useEditor();
  const q = useQuery(rowsQuery(editor.tenantId, editor.deviceId, props.path));
  const [dialog, setDialog] = useState<{ row?: MenuRow; title: string } | null>(null);
  const rows = q.data?.rows ?? [];
  const ordered = q.data?.ordered ?? false;
  const editable = editor.canChange && q.data?.policies.change === true && !editor.busy;
  const singleton = rows.length === 1 && rows[0]?.id === null;
  const columns = props.columns ?? [];
  const shown = new Set(columns.map((c) => c.key));
  // Neighbours for moves: static rows only (dynamic ones are the router's and cannot be a destination).
  const movable = rows.filter((r) => !r.flags.dynamic && r.id);

  const edit = (change: Change, row: MenuRow | undefined, direction?: 'up' | 'down') => {
    const label = row ? rowLabel(row, rows.indexOf(row), ordered) : '';
    editor.add(change, describe(change, label, direction));
  };
  const errorOf = (row: MenuRow) =>
    editor.edits.find((e) => e.change.path === props.path && e.change.id === row.id && e.error)?.error;

  return (
    <Card data-menu={props.path}>
      <CardHeader
        title={props.title ?? menuName(props.path)}
        description={props.description ?? (q.data ? `${rows.length} row${rows.length === 1 ? '' : 's'}` : undefined)}
        actions={
          <div className="flex gap-1.5">
            <Button
              size="icon-sm"
              variant="ghost"
              aria-label={`Read ${menuName(props.path)} again from the device`}
              disabled={q.isFetching}
              onClick={() => q.refetch()}
            >
              <RefreshCw className={cn(q.isFetching && 'animate-spin')} aria-hidden />
            </Button>
            {editable && !singleton ? (
              <Button size="sm" onClick={() => setDialog({ title: `Add to ${menuName(props.path)}` })}>
                <Plus aria-hidden /> Add
              </Button>
            ) : null}
          </div>
        }
      />
      {q.isPending ? (
        <TableSkeleton rows={4} cols={4} />
      ) : q.error ? (
        <p className="p-4 text-[13px] text-destructive" role="alert">
          Could not read {menuName(props.path)} from the device: {q.error.message}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState icon={Rows3} title="Nothing here">
          {props.empty ?? (editable ? 'This menu has no rows on the device. Add one.' : 'This menu has no rows.')}
        </EmptyState>
      ) : (
        <Table>
          <THead>
            <tr>
              {ordered ? <Th className="w-10">#</Th> : null}
              <Th className="w-24">Flags</Th>
              {columns.map((c) => (
                <Th key={c.key}>{c.label}</Th>
              ))}
              <Th>{columns.length ? 'Other properties' : 'Properties'}</Th>
              {props.counters ? (
                <>
                  <Th className="text-right">Bytes</Th>
                  <Th className="text-right">Packets</Th>
                </>
              ) : null}
              <Th>Comment</Th>
              {editable ? <Th className="w-0 text-right">Actions</Th> : null}
            </tr>
          </THead>
          <TBody>
            {rows.map((row, i) => {
              const label = rowLabel(row, i, ordered);
              const pending = pendingFor(editor.edits, props.path, row.id);
              const m = movable.indexOf(row);
              const rest = Object.entries(configOf(row)).filter(([k]) => !shown.has(k));
              const refused = errorOf(row);
              return (
                <tr
                  key={row.id ?? i}
                  data-row={row.id ?? ''}
                  data-disabled={row.flags.disabled || undefined}
                  className={cn(row.flags.disabled && 'text-muted-foreground', pending.length && 'bg-info/5')}
                >
                  {ordered ? <Td className="tabular-nums text-muted-foreground">{i + 1}</Td> : null}
                  <Td>
                    <Flags row={row} pending={pending} refused={!!refused} />
                  </Td>
                  {columns.map((c) => (
                    <Td key={c.key} className="font-mono text-xs" data-col={c.key}>
                      {row.properties[c.key] || <span className="text-muted-foreground">—</span>}
                    </Td>
                  ))}
                  <Td className="max-w-md">
                    <Props entries={rest} />
                  </Td>
                  {props.counters ? (
                    <>
                      <Td className="whitespace-nowrap text-right tabular-nums" data-bytes={row.properties.bytes ?? ''}>
                        {row.properties.bytes === undefined ? '—' : bytes(Number(row.properties.bytes))}
                      </Td>
                      <Td
                        className="whitespace-nowrap text-right tabular-nums"
                        data-packets={row.properties.packets ?? ''}
                      >
                        {row.properties.packets === undefined ? '—' : Number(row.properties.packets).toLocaleString()}
                      </Td>
                    </>
                  ) : null}
                  <Td className="text-xs">{row.comment ?? ''}</Td>
                  {editable ? (
                    <Td className="whitespace-nowrap text-right">
                      {row.flags.dynamic && props.path === '/ip/dhcp-server/lease' && row.id ? (
                        <Button
                          size="sm"
                          variant="ghost"
                          aria-label={`Make static: ${label}`}
                          onClick={() => edit({ path: props.path, action: 'make-static', id: row.id ?? '' }, row)}
                        >
                          Make static
                        </Button>
                      ) : row.flags.dynamic ? (
                        <span className="text-xs text-muted-foreground">managed by the router</span>
                      ) : (
                        <RowActions>
                          <Button
                            size="sm"
                            variant="ghost"
                            aria-label={`Edit ${label}`}
                            onClick={() => setDialog({ row, title: `Edit ${label}` })}
                          >
                            <Pencil aria-hidden /> Edit
                          </Button>
                          {row.id ? (
                            <Button
                              size="sm"
                              variant="ghost"
                              aria-label={`${row.flags.disabled ? 'Enable' : 'Disable'} ${label}`}
                              onClick={() =>
                                edit(
                                  {
                                    path: props.path,
                                    action: row.flags.disabled ? 'enable' : 'disable',
                                    id: row.id ?? '',
                                  },
                                  row,
                                )
                              }
                            >
                              {row.flags.disabled ? <Power aria-hidden /> : <PowerOff aria-hidden />}
                              {row.flags.disabled ? 'Enable' : 'Disable'}
                            </Button>
                          ) : null}
                          {row.id && !row.flags.builtin ? (
                            <Button
                              size="sm"
                              variant="ghost"
                              aria-label={`Delete ${label}`}
                              onClick={() => edit({ path: props.path, action: 'remove', id: row.id ?? '' }, row)}
                            >
                              <Trash2 aria-hidden /> Delete
                            </Button>
                          ) : null}
                          {ordered && m >= 0 ? (
                            <>
                              <Button
                                size="icon-sm"
                                variant="ghost"
                                aria-label={`Move ${label} up`}
                                disabled={m === 0}
                                onClick={() =>
                                  edit(
                                    {
                                      path: props.path,
                                      action: 'move',
                                      id: row.id ?? '',
                                      destination: movable[m - 1]?.id ?? '',
                                    },
                                    row,
                                    'up',
                                  )
                                }
                              >
                                <ArrowUp aria-hidden />
                              </Button>
                              <Button
                                size="icon-sm"
                                variant="ghost"
                                aria-label={`Move ${label} down`}
                                disabled={m === movable.length - 1}
                                onClick={() => {
                                  // Before the row after next; past the end when there is none.
                                  const after = movable[m + 2]?.id;
                                  edit(
                                    {
                                      path: props.path,
                                      action: 'move',
                                      id: row.id ?? '',
                                      ...(after ? { destination: after } : {}),
                                    },
                                    row,
                                    'down',
                                  );
                                }}
                              >
                                <ArrowDown aria-hidden />
                              </Button>
                            </>
                          ) : null}
                        </RowActions>
                      )}
                    </Td>
                  ) : null}
                </tr>
              );
            })}
          </TBody>
        </Table>
      )}
      {dialog ? (
        <RowDialog
          path={props.path}
          title={dialog.title}
          {...(dialog.row ? { row: dialog.row } : {})}
          {...(dialog.row && errorOf(dialog.row) ? { error: errorOf(dialog.row) } : {})}
          onSave={(change) => edit(change, dialog.row)}
          onClose={() => setDialog(null)}
        />
      ) : null}
    </Card>
  );
}

function RowActions({ children }: { children: ReactNode }) {
  return <div className="inline-flex items-center gap-0.5">{children}</div>;
}

function Flags({ row, pending, refused }: { row: MenuRow; pending: string[]; refused: boolean }) {
  const f = row.flags;
  return (
    <div className="flex flex-wrap gap-1">
      {f.dynamic ? <Badge data-flag="dynamic">dynamic</Badge> : null}
      {f.builtin ? <Badge data-flag="builtin">built-in</Badge> : null}
      {f.disabled ? (
        <Badge tone="warning" data-flag="disabled">
          disabled
        </Badge>
      ) : null}
      {f.invalid ? (
        <Badge tone="danger" data-flag="invalid">
          invalid
        </Badge>
      ) : null}
      {pending.map((p) => (
        <Badge key={p} tone="info" data-pending={p}>
          {p}
        </Badge>
      ))}
      {refused ? (
        <Badge tone="danger" data-refused>
          refused
        </Badge>
      ) : null}
    </div>
  );
}

function Props({ entries }: { entries: [string, string][] }) {
  if (entries.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <ul className="flex flex-wrap gap-x-2.5 gap-y-0.5 font-mono text-xs">
      {entries.map(([k, v]) => (
        <li key={k} data-prop={k}>
          <span className="text-muted-foreground">{k}=</span>
          {v}
        </li>
      ))}
    </ul>
  );
}
