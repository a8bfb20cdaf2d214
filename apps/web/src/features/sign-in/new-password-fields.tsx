import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { StrengthMeter, usePasswordStrength } from './strength-meter';

/** New password + confirmation with the strength meter; `ok` when the form may be sent. */
export function useNewPassword(email: string, password: string, confirm: string) {
  const strength = usePasswordStrength(password, email);
  const mismatch = confirm.length > 0 && confirm !== password;
  return { strength, mismatch, ok: strength.acceptable && password === confirm };
}

export function NewPasswordFields(props: {
  email: string;
  password: string;
  confirm: string;
  onPassword: (v: string) => void;
  onConfirm: (v: string) => void;
  label?: string;
}) {
  const { strength, mismatch } = useNewPassword(props.email, props.password, props.confirm);
  return (
    <>
      <Field id="new-password" label={props.label ?? 'New password'}>
        <Input
          id="new-password"
          type="password"
          autoComplete="new-password"
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          aria-describedby="new-password-strength"
        />
      </Field>
      {props.password ? <StrengthMeter id="new-password-strength" strength={strength} /> : null}
      <Field
        id="confirm-password"
        label="Repeat the password"
        error={mismatch ? 'The two passwords differ.' : undefined}
      >
        <Input
          id="confirm-password"
          type="password"
          autoComplete="new-password"
          value={props.confirm}
          onChange={(e) => props.onConfirm(e.target.value)}
          aria-invalid={mismatch ? true : undefined}
        />
      </Field>
    </>
  );
}
