import { Plus, X } from 'lucide-react';
import { createContext, type ReactNode, useContext } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { type Option, Select } from '@/components/ui/select';
import { cn } from '@/lib/cn';

// The fields the seven forms are made of. Each names its place in the form (`static.gateway`), which gives it an
// id and the server's error for that place, shown under it.

const ErrorsContext = createContext<(path: string) => string | undefined>(() => undefined);
export const ErrorsProvider = ErrorsContext.Provider;
export const useFieldError = (path: string) => useContext(ErrorsContext)(path);

export const fieldId = (path: string) => `sc-${path.replace(/[^\w-]/g, '-')}`;

/** The attributes tying a control to its error. */
export const invalid = (id: string, error: string | undefined) =>
  error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};

function ErrorText({ id, error }: { id: string; error: string | undefined }) {
  return error ? (
    <p id={`${id}-error`} role="alert" className="text-xs text-destructive" data-field-error={id}>
      {error}
    </p>
  ) : null;
}

export function TextField(props: {
  path: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  hint?: string;
  placeholder?: string;
  type?: 'text' | 'password';
  autoComplete?: string;
  className?: string;
  mono?: boolean;
}) {
  const id = fieldId(props.path);
  const error = useFieldError(props.path);
  return (
    <Field id={id} label={props.label} hint={props.hint} error={error} className={props.className}>
      <Input
        id={id}
        type={props.type ?? 'text'}
        value={props.value}
        placeholder={props.placeholder}
        autoComplete={props.autoComplete ?? 'off'}
        spellCheck={false}
        className={cn(props.mono && 'font-mono')}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </Field>
  );
}

export function CheckField(props: {
  path: string;
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  hint?: string;
}) {
  const id = fieldId(props.path);
  const error = useFieldError(props.path);
  return (
    <div className="grid gap-1">
      <label htmlFor={id} className="flex cursor-pointer items-start gap-2 text-[13px]">
        <input
          id={id}
          type="checkbox"
          className="mt-0.5"
          checked={props.checked}
          aria-invalid={error ? true : undefined}
          aria-describedby={props.hint ? `${id}-hint` : undefined}
          onChange={(e) => props.onChange(e.target.checked)}
        />
        <span className="grid gap-0.5">
          <span className="font-medium">{props.label}</span>
          {props.hint ? (
            <span id={`${id}-hint`} className="text-xs text-muted-foreground">
              {props.hint}
            </span>
          ) : null}
        </span>
      </label>
      <ErrorText id={id} error={error} />
    </div>
  );
}

export function ChoiceField(props: {
  path: string;
  label: string;
  value: string;
  options: Option[];
  onChange: (v: string) => void;
  hint?: string;
  placeholder?: string;
  className?: string;
}) {
  const id = fieldId(props.path);
  return (
    <Field id={id} label={props.label} hint={props.hint} error={useFieldError(props.path)} className={props.className}>
      <Select
        id={id}
        value={props.value}
        options={props.options}
        placeholder={props.placeholder ?? 'Choose…'}
        onValueChange={props.onChange}
      />
    </Field>
  );
}

/** A list of plain values (servers): one input each, removable, and Add. */
export function ListField(props: {
  path: string;
  legend: string;
  /** Names one item: "DNS server" → "DNS server 2". */
  item: string;
  values: string[];
  onChange: (v: string[]) => void;
  max: number;
  placeholder?: string;
  hint?: string;
}) {
  const at = useContext(ErrorsContext);
  const error = at(props.path);
  const set = (i: number, v: string) => props.onChange(props.values.map((x, j) => (j === i ? v : x)));
  return (
    <fieldset className="grid gap-1.5" data-list={props.path}>
      <legend className="mb-1.5 text-[13px] font-medium">{props.legend}</legend>
      {props.values.map((v, i) => (
        // The position is the item's identity while editing (values may repeat or be empty).
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <ListItem key={i} paths={[`${props.path}.${i}`]}>
          <Input
            id={fieldId(`${props.path}.${i}`)}
            aria-label={`${props.item} ${i + 1}`}
            value={v}
            placeholder={props.placeholder}
            spellCheck={false}
            className="font-mono"
            {...invalid(fieldId(`${props.path}.${i}`), at(`${props.path}.${i}`))}
            onChange={(e) => set(i, e.target.value.trim())}
          />
          <RemoveButton
            label={`Remove ${props.item} ${i + 1}`}
            onClick={() => props.onChange(props.values.filter((_, j) => j !== i))}
          />
        </ListItem>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <Button
          size="sm"
          disabled={props.values.length >= props.max}
          onClick={() => props.onChange([...props.values, ''])}
        >
          <Plus aria-hidden /> Add {props.item}
        </Button>
        {props.hint ? <span className="text-xs text-muted-foreground">{props.hint}</span> : null}
      </div>
      <ErrorText id={fieldId(props.path)} error={error} />
    </fieldset>
  );
}

/** One row of a list: its controls side by side, the server's errors for its places (`paths`) underneath. */
export function ListItem(props: { paths: string[]; children: ReactNode; className?: string }) {
  const at = useContext(ErrorsContext);
  return (
    <div className="grid gap-1" data-list-item={props.paths[0]}>
      <div className={cn('flex max-w-sm items-center gap-2', props.className)}>{props.children}</div>
      {props.paths.map((p) => (
        <ErrorText key={p} id={fieldId(p)} error={at(p)} />
      ))}
    </div>
  );
}

export function RemoveButton(props: { label: string; onClick: () => void }) {
  return (
    <Button size="icon-sm" variant="ghost" aria-label={props.label} onClick={props.onClick}>
      <X aria-hidden />
    </Button>
  );
}

/** A section of a form: a heading and its fields. */
export function Section(props: { title: string; description?: ReactNode; children: ReactNode; className?: string }) {
  return (
    <section className={cn('grid gap-3', props.className)} aria-label={props.title}>
      <div className="grid gap-0.5">
        <h3 className="text-[13px] font-semibold">{props.title}</h3>
        {props.description ? <p className="text-xs text-muted-foreground">{props.description}</p> : null}
      </div>
      {props.children}
    </section>
  );
}
