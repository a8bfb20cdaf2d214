import { Badge } from '@/components/ui/badge';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { fieldId, invalid, useFieldError } from './kit';

// A password or passphrase: write-only. The router's value is never sent to the browser, only whether it has one;
// left empty, the field is left out of the form and the router keeps what it has.

export function SecretField(props: {
  path: string;
  label: string;
  value: string;
  /** Whether the router has one (null: not known, as for a user's password). */
  isSet: boolean | null;
  onChange: (v: string) => void;
  hint?: string;
}) {
  const id = fieldId(props.path);
  const error = useFieldError(props.path);
  const hint =
    props.hint ??
    (props.isSet ? 'The router has one: leave empty to keep it.' : 'The router has none: type one to set it.');
  return (
    <div className="grid gap-1.5" data-secret={props.path} data-secret-set={props.isSet ?? undefined}>
      <div className="flex items-center gap-2">
        <Label htmlFor={id}>{props.label}</Label>
        {props.isSet !== null ? (
          <Badge tone={props.isSet ? 'success' : 'neutral'}>{props.isSet ? 'set' : 'not set'}</Badge>
        ) : null}
      </div>
      <Input
        id={id}
        type="password"
        autoComplete="new-password"
        value={props.value}
        placeholder={props.isSet ? '••••••••' : undefined}
        {...invalid(id, error)}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      ) : (
        <p className="text-xs text-muted-foreground">{hint}</p>
      )}
    </div>
  );
}
