import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import type { User } from '@/api/types';
import { updateUser } from '@/api/users';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';

/**
 * Admin reset: a new temporary password. The user's password and Secret Key stop working, every session of theirs
 * ends, and at next sign-in they enrol again (new password, new Secret Key, new Emergency Kit).
 */
export function ResetSignInDialog(props: { tenantId: string; user: User | null; onClose: () => void }) {
  const [password, setPassword] = useState('');
  const reset = useApiMutation(updateUser, {
    success: (u) => `${u.name} must sign in with the temporary password and enrol again`,
    silentErrors: true,
  });
  const close = () => {
    setPassword('');
    reset.reset();
    props.onClose();
  };
  const u = props.user;
  return (
    <Dialog open={u !== null} onOpenChange={(o) => !o && close()}>
      <DialogContent
        title={`Reset sign-in for ${u?.name ?? ''}`}
        description="Their password and Secret Key stop working and they are signed out everywhere. Give them this temporary password safely: at next sign-in they choose a new password and get a new Secret Key."
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (u) reset.mutate({ tenantId: props.tenantId, user: u, body: { password } }, { onSuccess: close });
          }}
        >
          <Field
            id="temporary-password"
            label="Temporary password"
            hint="At least 12 characters"
            error={
              reset.error?.field('password') ??
              (reset.error && !reset.error.fieldErrors.length ? reset.error.detail : undefined)
            }
          >
            <Input
              id="temporary-password"
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </Field>
          <DialogFooter>
            <Button onClick={close}>Cancel</Button>
            <Button type="submit" variant="destructive" disabled={reset.isPending || !password}>
              {reset.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Reset sign-in
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
