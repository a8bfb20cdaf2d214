import { useQuery } from '@tanstack/react-query';
import { Trash2 } from 'lucide-react';
import { inventoryQuery } from '@/api/inventory';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Select } from '@/components/ui/select';
import type { ValueTexts, VariableDraft } from './draft';
import { ValuesForm } from './values-form';

// Values per device group: a device of the group gets them unless the push names a value for it (a device in
// several groups takes the first group by name). Only variables with a name can get a value.

export function GroupValues(props: {
  tenantId: string;
  variables: VariableDraft[];
  value: Record<string, ValueTexts>;
  onChange: (v: Record<string, ValueTexts>) => void;
  readOnly?: boolean;
}) {
  const canInventory = useCan('inventory.read');
  const groups = useQuery({ ...inventoryQuery(props.tenantId, 'device-groups'), enabled: canInventory });
  const named = props.variables.filter((v) => v.name.trim() !== '');
  const nameOf = (id: string) => groups.data?.find((g) => g.id === id)?.name ?? 'A removed group';
  const chosen = Object.keys(props.value);
  const left = (groups.data ?? []).filter((g) => !chosen.includes(g.id));
  return (
    <div className="grid gap-3">
      {chosen.length === 0 ? (
        <p className="text-[13px] text-muted-foreground">
          No group values: every device uses the values of the push, then the defaults.
        </p>
      ) : (
        chosen.map((g) => (
          <section key={g} className="grid gap-2 rounded-md border p-3" aria-label={`Values for ${nameOf(g)}`}>
            <div className="flex items-center justify-between gap-2">
              <h3 className="text-[13px] font-medium">{nameOf(g)}</h3>
              {props.readOnly ? null : (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Remove the values for ${nameOf(g)}`}
                  onClick={() =>
                    props.onChange(Object.fromEntries(Object.entries(props.value).filter(([k]) => k !== g)))
                  }
                >
                  <Trash2 aria-hidden /> Remove
                </Button>
              )}
            </div>
            <ValuesForm
              id={`group-${g}`}
              variables={named}
              values={props.value[g] ?? {}}
              disabled={props.readOnly}
              onChange={(vals) => props.onChange({ ...props.value, [g]: vals })}
            />
          </section>
        ))
      )}
      {props.readOnly || !canInventory ? null : left.length > 0 ? (
        <Select
          aria-label="Add values for a device group"
          className="w-72"
          value=""
          placeholder="Add values for a device group…"
          onValueChange={(g) => props.onChange({ ...props.value, [g]: {} })}
          options={left.map((g) => ({ value: g.id, label: g.name }))}
        />
      ) : (groups.data?.length ?? 0) === 0 ? (
        <p className="text-xs text-muted-foreground">The organisation has no device groups yet.</p>
      ) : null}
    </div>
  );
}
