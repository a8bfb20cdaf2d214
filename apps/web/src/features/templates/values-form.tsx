import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import type { ValueTexts, VariableDraft } from './draft';
import { elementLabel, examples, typeLabel } from './words';

// Values for a template's variables as typed form fields: a yes/no choice for booleans, numbers for integers,
// addresses and lists with an example, secrets hidden. Empty means "not given": the group value or the default.

type Var = Pick<VariableDraft, 'name' | 'type' | 'of' | 'default' | 'required' | 'secret' | 'description'>;

const DEFAULT = 'default';

function hint(v: Var): string {
  const type = v.type === 'list' ? `${typeLabel.list} ${elementLabel[v.of]}, comma-separated` : typeLabel[v.type];
  const shown = v.type === 'boolean' ? ({ true: 'yes', false: 'no' } as Record<string, string>)[v.default] : v.default;
  const fallback = v.secret && v.default ? 'a default is set' : shown ? `default ${shown}` : 'no default';
  return [v.description, `${type} · ${fallback}`].filter(Boolean).join(' — ');
}

export function ValuesForm(props: {
  id: string;
  variables: readonly Var[];
  values: ValueTexts;
  onChange: (v: ValueTexts) => void;
  /** Server errors by variable name. */
  errors?: Record<string, string>;
  disabled?: boolean;
}) {
  const set = (name: string, text: string) => props.onChange({ ...props.values, [name]: text });
  if (props.variables.length === 0)
    return <p className="text-[13px] text-muted-foreground">This template declares no variables.</p>;
  return (
    <div className="grid gap-3 sm:grid-cols-2">
      {props.variables.map((v) => {
        const id = `${props.id}-${v.name}`;
        const value = props.values[v.name] ?? '';
        const error = props.errors?.[v.name];
        const label = v.required ? `${v.name} (required)` : v.name;
        return (
          <Field key={v.name} id={id} label={label} hint={hint(v)} {...(error ? { error } : {})}>
            {v.type === 'boolean' ? (
              <Select
                id={id}
                value={value === '' ? DEFAULT : value}
                disabled={props.disabled}
                onValueChange={(x) => set(v.name, x === DEFAULT ? '' : x)}
                options={[
                  { value: DEFAULT, label: v.default ? `Default (${v.default === 'true' ? 'yes' : 'no'})` : 'Not set' },
                  { value: 'true', label: 'Yes' },
                  { value: 'false', label: 'No' },
                ]}
              />
            ) : (
              <Input
                id={id}
                value={value}
                disabled={props.disabled}
                type={v.secret ? 'password' : 'text'}
                inputMode={v.type === 'integer' ? 'numeric' : undefined}
                autoComplete={v.secret ? 'new-password' : 'off'}
                spellCheck={false}
                placeholder={v.secret ? '' : v.default || examples[v.type]}
                aria-invalid={error ? true : undefined}
                data-variable={v.name}
                onChange={(e) => set(v.name, e.target.value)}
              />
            )}
          </Field>
        );
      })}
    </div>
  );
}
