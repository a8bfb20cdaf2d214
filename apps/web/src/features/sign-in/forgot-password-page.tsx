import { Link } from '@tanstack/react-router';
import { Loader2, MailCheck } from 'lucide-react';
import { useState } from 'react';
import { auth } from '@/api/auth';
import { ApiError } from '@/api/errors';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { AuthFrame, FormError } from './auth-frame';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await auth.forgotPassword(email);
      setSent(true);
    } catch (err) {
      setError(err instanceof ApiError ? err.detail : 'The request failed; try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthFrame title="Reset your password" subtitle="We will email you a link to choose a new password and Secret Key.">
      {sent ? (
        <div
          role="status"
          className="grid justify-items-center gap-3 rounded-xl border bg-card p-5 text-center shadow-sm"
        >
          <MailCheck className="size-6 text-success" aria-hidden />
          <p className="text-[13px]">
            If <strong>{email}</strong> belongs to an account, a reset link is on its way. It works once, for 30
            minutes.
          </p>
          <Link to="/sign-in" className="text-xs underline">
            Back to sign-in
          </Link>
        </div>
      ) : (
        <form onSubmit={submit} noValidate className="grid gap-4 rounded-xl border bg-card p-5 shadow-sm">
          <Field id="email" label="Email">
            <Input
              id="email"
              type="email"
              autoComplete="username"
              autoFocus
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </Field>
          <FormError id="forgot-error" message={error} />
          <Button type="submit" variant="primary" size="lg" disabled={busy || !email}>
            {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Email me a reset link
          </Button>
          <Link to="/sign-in" className="justify-self-center text-xs text-muted-foreground underline">
            Back to sign-in
          </Link>
        </form>
      )}
    </AuthFrame>
  );
}
