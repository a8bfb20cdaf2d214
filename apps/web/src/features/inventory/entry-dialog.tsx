import { Loader2 } from 'lucide-react';
import { useEffect, useMemo, useState } from 'react';
import { createEntry, type Entry, type InventoryKindId, updateEntry } from '@/api/inventory';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import type { InventoryKind, Values } from './kinds';

const initialValues = (kind: InventoryKind, entry: Entry | null) => {
  const v: Values = { name: entry?.name ?? '' };
  for (const f of kind.fields) {
    // Passwords are write-only: the form never has the stored one.
    const current = entry && f.kind !== 'password' ? entry[f.key] : undefined;
    v[f.key] = current === undefined ? (entry && f.kind === 'password' ? '' : f.initial) : String(current ?? '');
  }
  return v;
};

/** Create (entry null) or edit one site, group, tag or credential profile; the server's field errors show inline. */
export function EntryDialog<K extends InventoryKindId>(props: {
  tenantId: string;
  kind: InventoryKind<K>;
  open: boolean;
  entry: Entry<K> | null;
  onOpenChange: (o: boolean) => void;
}) {
  const { kind, entry } = props;
  const [values, setValues] = useState(() => initialValues(kind, entry));
  useEffect(() => {
    if (props.open) setValues(initialValues(kind, entry));
  }, [props.open, kind, entry]);
  const [creating, updating] = useMemo(() => [createEntry(kind.id), updateEntry(kind.id)], [kind.id]);
  const create = useApiMutation(creating, { success: (e) => `${e.name} created`, silentErrors: true });
  const update = useApiMutation(updating, { success: (e) => `${e.name} saved`, silentErrors: true });
  const save = entry ? update : create;
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) save.reset();
  };
  const submit = () => {
    const t = props.tenantId;
    const done = { onSuccess: () => close(false) };
    if (entry) update.mutate({ tenantId: t, id: entry.id, body: kind.toChange(values) }, done);
    else create.mutate({ tenantId: t, body: kind.toNew(values) }, done);
  };
  const set = (k: string) => (e: React.ChangeEvent<HTMLInputElement>) => setValues({ ...values, [k]: e.target.value });
  const err = save.error;
  const fieldError = (k: string) => err?.field(k);
  const generalError = err && !['name', ...kind.fields.map((f) => f.key)].some((k) => err.field(k)) ? err.detail : '';
  const verb = entry ? 'Save' : `Create ${kind.singular}`;
  return (
    <Dialog open={props.open} onOpenChange={close}>
      <DialogContent title={entry ? `Edit ${entry.name}` : `New ${kind.singular}`} description={kind.description}>
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Field id="entry-name" label="Name" error={fieldError('name') ?? (generalError || undefined)}>
            <Input id="entry-name" autoFocus value={values.name ?? ''} onChange={set('name')} />
          </Field>
          {kind.fields.map((f) => {
            const id = `entry-${f.key}`;
            const value = values[f.key] ?? '';
            return (
              <Field key={f.key} id={id} label={f.label} hint={f.hint} error={fieldError(f.key)}>
                {f.kind === 'colour' ? (
                  <div className="flex items-center gap-2">
                    <input
                      type="color"
                      aria-label={`${f.label} picker`}
                      value={/^#[0-9a-f]{6}$/i.test(value) ? value : '#64748b'}
                      onChange={set(f.key)}
                      className="h-8 w-10 cursor-pointer rounded-md border bg-transparent p-0.5"
                    />
                    <Input id={id} value={value} onChange={set(f.key)} className="font-mono" />
                  </div>
                ) : (
                  <Input
                    id={id}
                    type={f.kind === 'password' ? 'password' : 'text'}
                    inputMode={f.kind === 'number' ? 'decimal' : undefined}
                    autoComplete={f.kind === 'password' ? 'new-password' : 'off'}
                    value={value}
                    onChange={set(f.key)}
                  />
                )}
              </Field>
            );
          })}
          <DialogFooter>
            <Button onClick={() => close(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={save.isPending || !values.name?.trim()}>
              {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {verb}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
