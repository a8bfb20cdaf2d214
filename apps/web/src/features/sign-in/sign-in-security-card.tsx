import { formatSecretKey } from '@tod/srp';
import { Download, Loader2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ApiError } from '@/api/errors';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toast';
import { FormError } from './auth-frame';
import { downloadEmergencyKit } from './kit-download';
import { NewPasswordFields, useNewPassword } from './new-password-fields';
import { loadSecretKey } from './secret-key-store';
import { changePassword, readSecretKey } from './srp-flow';

/** Settings → Sign-in: change the password (proving the current one), and print the Emergency Kit again. */
export function SignInSecurityCard({ email }: { email: string }) {
  const [storedKey, setStoredKey] = useState<Uint8Array | undefined>();
  const [keyText, setKeyText] = useState('');
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { ok } = useNewPassword(email, next, confirm);

  useEffect(() => void loadSecretKey(email).then(setStoredKey), [email]);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const key = storedKey ?? readSecretKey(keyText);
    if (!key) return setError('Enter your Secret Key (from your Emergency Kit): this browser does not have it.');
    setBusy(true);
    try {
      await changePassword(email, current, next, key);
      setCurrent('');
      setNext('');
      setConfirm('');
      toast.success('Password changed. Other sessions were signed out; your Secret Key stays the same.');
    } catch (err) {
      setError(
        err instanceof ApiError && err.code === 'reauthentication_failed'
          ? 'The current password or Secret Key is wrong.'
          : err instanceof ApiError
            ? err.detail
            : 'The change failed; try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <CardHeader
        title="Sign-in"
        description="Your password and Secret Key never leave this browser; TOD keeps only a verifier."
      />
      <div className="grid gap-5 p-4 lg:grid-cols-2">
        <form onSubmit={submit} noValidate className="grid content-start gap-3" aria-label="Change password">
          <Field id="current-password" label="Current password">
            <Input
              id="current-password"
              type="password"
              autoComplete="current-password"
              value={current}
              onChange={(e) => setCurrent(e.target.value)}
            />
          </Field>
          {storedKey ? null : (
            <Field id="settings-secret-key" label="Secret Key">
              <Input
                id="settings-secret-key"
                className="font-mono"
                autoComplete="off"
                value={keyText}
                onChange={(e) => setKeyText(e.target.value)}
              />
            </Field>
          )}
          <NewPasswordFields
            email={email}
            password={next}
            confirm={confirm}
            onPassword={setNext}
            onConfirm={setConfirm}
          />
          <FormError id="change-password-error" message={error} />
          <Button type="submit" disabled={!ok || !current || busy} className="justify-self-start">
            {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
            {busy ? 'Deriving your key…' : 'Change password'}
          </Button>
        </form>
        <div className="grid content-start gap-2 text-[13px]">
          <p className="font-medium">Emergency Kit</p>
          {storedKey ? (
            <>
              <p className="text-muted-foreground">
                Secret Key in this browser: <span className="font-mono">{formatSecretKey(storedKey)}</span>
              </p>
              <Button
                type="button"
                variant="secondary"
                className="justify-self-start"
                onClick={() => void downloadEmergencyKit(email, storedKey)}
              >
                <Download aria-hidden /> Download Emergency Kit again
              </Button>
            </>
          ) : (
            <p className="text-muted-foreground">This browser does not hold your Secret Key; use your printed kit.</p>
          )}
        </div>
      </div>
    </Card>
  );
}
