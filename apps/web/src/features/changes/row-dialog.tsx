import { Plus } from 'lucide-react';
import { useState } from 'react';
import type { Change, MenuRow } from '@/api/changes';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { menuName } from '../backups/words';
import { configOf, type EditError } from './change-set';

// The form of one row: its properties (and comment) as fields, plus any property RouterOS knows that the row does
// not set yet. Saving adds an edit to the change set (only what changed); nothing reaches the router here.

/** Properties a new row of these menus usually needs, offered as empty fields. */
const STARTERS: Record<string, string[]> = {
  '/ip/firewall/filter': ['chain', 'action', 'protocol', 'src-address', 'dst-address', 'dst-port', 'in-interface'],
  '/ip/firewall/nat': ['chain', 'action', 'protocol', 'dst-address', 'dst-port', 'out-interface', 'to-addresses'],
  '/ip/firewall/mangle': ['chain', 'action', 'protocol', 'src-address', 'dst-address', 'new-routing-mark'],
  '/ip/firewall/address-list': ['list', 'address', 'timeout'],
  '/ip/address': ['address', 'interface'],
  '/ip/route': ['dst-address', 'gateway', 'distance'],
  '/ip/pool': ['name', 'ranges'],
  '/ip/dhcp-server': ['name', 'interface', 'address-pool'],
  '/ip/dhcp-server/network': ['address', 'gateway', 'dns-server'],
  '/ip/dhcp-server/lease': ['address', 'mac-address', 'server'],
  '/ip/dns/static': ['name', 'address'],
};

const PROPERTY = /^[a-z0-9][a-z0-9.-]*$/;

export function RowDialog(props: {
  path: string;
  /** The row edited; absent to add one. */
  row?: MenuRow;
  title: string;
  /** Errors the router gave for this row, shown on their fields. */
  error?: EditError;
  onSave: (change: Change) => void;
  onClose: () => void;
}) {
  const { row } = props;
  const initial: Record<string, string> = row
    ? { ...configOf(row), comment: row.comment ?? '' }
    : Object.fromEntries([...(STARTERS[props.path] ?? []), 'comment'].map((k) => [k, '']));
  const [values, setValues] = useState(initial);
  const [extra, setExtra] = useState({ name: '', value: '' });
  const extraInvalid = extra.name !== '' && (!PROPERTY.test(extra.name) || extra.name in values);

  const changed = row
    ? Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== (initial[k] ?? '')))
    : Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
  const nothing = Object.keys(changed).length === 0;

  const save = () => {
    if (nothing) return;
    // A menu's single item (/system identity) has no id: `set` alone addresses it.
    const change: Change = row
      ? { path: props.path, action: 'set', ...(row.id ? { id: row.id } : {}), properties: changed }
      : { path: props.path, action: 'add', properties: changed };
    props.onSave(change);
    props.onClose();
  };

  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={props.title}
        description={`${menuName(props.path)}: saved to the change set, applied after you review it.`}
        className="max-w-lg"
      >
        <form
          noValidate
          className="grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <div className="grid max-h-[50vh] gap-3 overflow-y-auto pr-1">
            {Object.entries(values).map(([k, v]) => {
              const id = `prop-${k.replaceAll('.', '_')}`;
              const error = props.error?.property === k ? props.error.message : undefined;
              return (
                <Field key={k} id={id} label={k} error={error}>
                  <Input
                    id={id}
                    value={v}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `${id}-error` : undefined}
                    className="font-mono"
                    onChange={(e) => setValues({ ...values, [k]: e.target.value })}
                  />
                </Field>
              );
            })}
          </div>
          {props.error && !(props.error.property && props.error.property in values) ? (
            <p className="text-xs text-destructive" role="alert">
              {props.error.message}
            </p>
          ) : null}
          <div className="grid grid-cols-[1fr_1fr_auto] items-end gap-2 border-t pt-3">
            <Field
              id="new-prop-name"
              label="Another property"
              error={extraInvalid ? 'lowercase, like dst-port, not already listed' : undefined}
            >
              <Input
                id="new-prop-name"
                className="font-mono"
                placeholder="dst-port"
                value={extra.name}
                onChange={(e) => setExtra({ ...extra, name: e.target.value.trim() })}
              />
            </Field>
            <Field id="new-prop-value" label="Its value">
              <Input
                id="new-prop-value"
                className="font-mono"
                value={extra.value}
                onChange={(e) => setExtra({ ...extra, value: e.target.value })}
              />
            </Field>
            <Button
              disabled={!extra.name || extraInvalid}
              aria-label="Include this property"
              onClick={() => {
                setValues({ ...values, [extra.name]: extra.value });
                setExtra({ name: '', value: '' });
              }}
            >
              <Plus aria-hidden />
            </Button>
          </div>
          <DialogFooter>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={nothing}>
              Save to change set
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
