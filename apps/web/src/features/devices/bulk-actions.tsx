import { useQuery } from '@tanstack/react-query';
import { FolderPlus, MapPin, Tag, Trash2, X } from 'lucide-react';
import { useId, useState } from 'react';
import { assignDevices, bulkDevices } from '@/api/devices';
import { inventoryQuery } from '@/api/inventory';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Confirm } from '@/components/ui/confirm';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';

type Assign = { kind: 'device-tags' | 'device-groups' | 'sites'; title: string; label: string };
const assigns: Record<'tag' | 'group' | 'site', Assign> = {
  tag: { kind: 'device-tags', title: 'Add a tag', label: 'Tag' },
  group: { kind: 'device-groups', title: 'Add to a group', label: 'Group' },
  site: { kind: 'sites', title: 'Set the site', label: 'Site' },
};

/** What can be done to the selected devices at once: tag, group, site (operator), delete (admin). */
export function BulkActions(props: { tenantId: string; ids: string[]; onDone: () => void }) {
  const { tenantId, ids } = props;
  const canDelete = useCan('devices.delete');
  const [assign, setAssign] = useState<keyof typeof assigns | null>(null);
  const [confirm, setConfirm] = useState(false);
  const n = ids.length;
  const devicesWord = `${n} device${n === 1 ? '' : 's'}`;
  const remove = useApiMutation(bulkDevices, {
    success: (r) => `Deleted ${r.affected} device${r.affected === 1 ? '' : 's'}`,
  });

  return (
    <div
      role="toolbar"
      aria-label="Bulk actions"
      className="flex flex-wrap items-center gap-2 border-b bg-accent/40 px-3 py-1.5 text-[13px]"
    >
      <span className="font-medium">{devicesWord} selected</span>
      <span className="flex-1" />
      <Button size="sm" onClick={() => setAssign('tag')}>
        <Tag aria-hidden /> Tag
      </Button>
      <Button size="sm" onClick={() => setAssign('group')}>
        <FolderPlus aria-hidden /> Group
      </Button>
      <Button size="sm" onClick={() => setAssign('site')}>
        <MapPin aria-hidden /> Site
      </Button>
      {canDelete ? (
        <Button size="sm" variant="destructive" onClick={() => setConfirm(true)}>
          <Trash2 aria-hidden /> Delete
        </Button>
      ) : null}
      <Button size="icon-sm" variant="ghost" aria-label="Clear selection" onClick={props.onDone}>
        <X />
      </Button>
      {assign ? (
        <AssignDialog
          tenantId={tenantId}
          ids={ids}
          what={assign}
          onClose={(done) => {
            setAssign(null);
            if (done) props.onDone();
          }}
        />
      ) : null}
      <Confirm
        open={confirm}
        onOpenChange={setConfirm}
        title={`Delete ${devicesWord}?`}
        description="Their settings, metrics and events are removed. This cannot be undone."
        confirm={`Delete ${devicesWord}`}
        busy={remove.isPending}
        onConfirm={() =>
          remove.mutate(
            { tenantId, body: { action: 'delete', device_ids: ids } },
            {
              onSuccess: () => {
                setConfirm(false);
                props.onDone();
              },
            },
          )
        }
      />
    </div>
  );
}

function AssignDialog(props: {
  tenantId: string;
  ids: string[];
  what: keyof typeof assigns;
  onClose: (done: boolean) => void;
}) {
  const a = assigns[props.what];
  const listId = useId();
  const known = useQuery(inventoryQuery(props.tenantId, a.kind));
  const [name, setName] = useState('');
  const apply = useApiMutation(assignDevices, {
    success: (r) => `${a.label} “${name.trim()}” applied to ${r.affected} device${r.affected === 1 ? '' : 's'}`,
  });
  return (
    <Dialog open onOpenChange={(o) => !o && props.onClose(false)}>
      <DialogContent
        title={a.title}
        description={`Pick an existing ${a.label.toLowerCase()} or type a new name; it is created when missing.`}
      >
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            apply.mutate(
              { tenantId: props.tenantId, deviceIds: props.ids, kind: a.kind, name, known: known.data ?? [] },
              { onSuccess: () => props.onClose(true) },
            );
          }}
        >
          <Field id="bulk-name" label={a.label}>
            <Input
              id="bulk-name"
              autoFocus
              list={listId}
              value={name}
              onChange={(e) => setName(e.target.value)}
              autoComplete="off"
            />
          </Field>
          <datalist id={listId}>
            {(known.data ?? []).map((k) => (
              <option key={k.id} value={k.name} />
            ))}
          </datalist>
          <DialogFooter>
            <Button onClick={() => props.onClose(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={!name.trim() || apply.isPending}>
              Apply to {props.ids.length}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
