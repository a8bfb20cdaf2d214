import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { Loader2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { ApiError } from '@/api/errors';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { toast } from '@/components/ui/toast';
import { FormError } from '@/features/sign-in/auth-frame';
import { loadSecretKey } from '@/features/sign-in/secret-key-store';
import { readSecretKey } from '@/features/sign-in/srp-flow';
import { deleteMyAccount } from './account-flow';

const same = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

function explain(err: unknown): string {
  if (!(err instanceof ApiError)) return 'The deletion failed; try again.';
  if (err.code === 'reauthentication_failed') return 'The password or Secret Key is wrong.';
  // The last super admin, the last admin of an organisation, a confirmation typed wrong: the server says which.
  return err.detail;
}

/** Deleting one's own account: the current password (and Secret Key) proven here, the email typed to confirm. */
export function DeleteAccountDialog({
  email,
  open,
  onOpenChange,
}: {
  email: string;
  open: boolean;
  onOpenChange: (o: boolean) => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [storedKey, setStoredKey] = useState<Uint8Array | undefined>();
  const [password, setPassword] = useState('');
  const [keyText, setKeyText] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => void loadSecretKey(email).then(setStoredKey), [email]);
  useEffect(() => {
    if (open) return;
    setPassword('');
    setKeyText('');
    setConfirm('');
    setError(null);
  }, [open]);

  const ready = password !== '' && same(confirm, email) && (storedKey !== undefined || keyText.trim() !== '');

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    const key = storedKey ?? readSecretKey(keyText);
    if (!key) return setError('Enter your Secret Key (from your Emergency Kit): this browser does not have it.');
    setBusy(true);
    try {
      await deleteMyAccount(email, password, key, confirm);
    } catch (err) {
      setError(explain(err));
      setBusy(false);
      return;
    }
    // The session is gone with the account: leave the signed-in pages before forgetting what they showed.
    await navigate({ to: '/sign-in' });
    queryClient.clear();
    toast.success('Your account was deleted. Its receipt was saved as a file.');
  }

  return (
    <Dialog open={open} onOpenChange={(o) => !busy && onOpenChange(o)}>
      <DialogContent
        title="Delete your account"
        description="Your sign-in goes, your sessions end everywhere and the API keys you created are revoked. The audit trail keeps what was done, without your name or address. This cannot be undone."
      >
        <form onSubmit={submit} noValidate className="grid gap-3" aria-label="Delete your account">
          <Field id="delete-password" label="Current password">
            <Input
              id="delete-password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          {storedKey ? null : (
            <Field
              id="delete-secret-key"
              label="Secret Key"
              hint="From your Emergency Kit: this browser does not hold it."
            >
              <Input
                id="delete-secret-key"
                className="font-mono"
                autoComplete="off"
                value={keyText}
                onChange={(e) => setKeyText(e.target.value)}
              />
            </Field>
          )}
          <Field id="delete-confirm" label="Type your email address to confirm" hint={email}>
            <Input
              id="delete-confirm"
              type="email"
              autoComplete="off"
              spellCheck={false}
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
            />
          </Field>
          <FormError id="delete-account-error" message={error} />
          <DialogFooter>
            <Button disabled={busy} onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="destructive" disabled={!ready || busy}>
              {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {busy ? 'Checking your password…' : 'Delete my account'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
