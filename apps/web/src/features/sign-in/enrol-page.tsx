import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { formatSecretKey } from '@tod/srp';
import { Download, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { ApiError } from '@/api/errors';
import type { Me } from '@/api/types';
import { Button } from '@/components/ui/button';
import { AuthFrame, FormError } from './auth-frame';
import { downloadEmergencyKit } from './kit-download';
import { NewPasswordFields, useNewPassword } from './new-password-fields';
import { enrolAccount, insecureContextMessage } from './srp-flow';

/**
 * First sign-in (or after a reset): choose a password; this browser makes the Secret Key and the verifier and
 * registers the verifier; then the Emergency Kit must be saved before going on.
 */
export function EnrolPage({ me }: { me: Me }) {
  const email = me.email ?? '';
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [insecure] = useState(insecureContextMessage);
  const [secretKey, setSecretKey] = useState<Uint8Array | null>(null);
  const [saved, setSaved] = useState(false);
  const [confirmed, setConfirmed] = useState(false);
  const { ok } = useNewPassword(email, password, confirm);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!ok) return;
    setBusy(true);
    setError(null);
    try {
      setSecretKey(await enrolAccount(email, password));
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'This enrolment session has ended. Sign in again with your temporary password.'
          : err instanceof ApiError
            ? err.detail
            : 'Enrolment failed; try again.',
      );
    } finally {
      setBusy(false);
    }
  }

  async function download() {
    if (!secretKey) return;
    await downloadEmergencyKit(email, secretKey);
    setSaved(true);
  }

  async function finish() {
    await queryClient.invalidateQueries();
    await navigate({ to: '/' });
  }

  if (secretKey)
    return (
      <AuthFrame title="Save your Emergency Kit" subtitle={email}>
        <div className="grid gap-4 rounded-xl border bg-card p-5 shadow-sm">
          <p className="text-[13px]">
            Your account is protected by your password <strong>and</strong> this Secret Key. This browser remembers the
            key; on any other browser you will need both. TOD never sees either and cannot recover them.
          </p>
          <div className="rounded-lg border bg-muted/40 p-3 text-center">
            <p className="text-xs text-muted-foreground">Your Secret Key</p>
            <p className="font-mono text-[15px] font-semibold tracking-wide" data-testid="secret-key">
              {formatSecretKey(secretKey)}
            </p>
          </div>
          <Button type="button" variant="primary" onClick={() => void download()}>
            <Download aria-hidden /> Download Emergency Kit (PDF)
          </Button>
          <label className="flex items-start gap-2 text-[13px]">
            <input
              type="checkbox"
              className="mt-0.5"
              checked={confirmed}
              onChange={(e) => setConfirmed(e.target.checked)}
            />
            I have saved or printed my Emergency Kit and will keep it somewhere safe.
          </label>
          <Button type="button" onClick={() => void finish()} disabled={!saved && !confirmed}>
            Continue to TOD
          </Button>
        </div>
      </AuthFrame>
    );

  return (
    <AuthFrame title="Set up your sign-in" subtitle={`Choose the password for ${email}`}>
      <form onSubmit={submit} noValidate className="grid gap-4 rounded-xl border bg-card p-5 shadow-sm">
        <p className="text-[13px] text-muted-foreground">
          Your temporary password only lets you do this. Pick a long password you can remember (a few unrelated words
          work well); your browser will also make a Secret Key for you.
        </p>
        <NewPasswordFields
          email={email}
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          label="Password"
        />
        <FormError id="enrol-error" message={error ?? insecure} />
        <Button type="submit" variant="primary" size="lg" disabled={!ok || busy || !!insecure}>
          {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
          {busy ? 'Deriving your key…' : 'Create my Secret Key'}
        </Button>
      </form>
    </AuthFrame>
  );
}
