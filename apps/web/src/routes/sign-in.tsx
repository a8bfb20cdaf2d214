import { useQueryClient } from '@tanstack/react-query';
import { createFileRoute, redirect, useNavigate } from '@tanstack/react-router';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { ApiError } from '@/api/errors';
import { meQuery, signIn } from '@/auth/session';
import { Logo } from '@/components/shell/logo';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';

/** Only same-app paths: never bounce a user to another site after sign-in. */
const safeRedirect = (r: unknown) =>
  typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') ? r : undefined;

export const Route = createFileRoute('/sign-in')({
  validateSearch: (s: Record<string, unknown>): { redirect?: string } => {
    const r = safeRedirect(s.redirect);
    return r ? { redirect: r } : {};
  },
  beforeLoad: async ({ context }) => {
    // Ask the server, not the cache: right after signing out the cached principal is stale.
    const me = await context.queryClient.fetchQuery({ ...meQuery, staleTime: 0 }).catch(() => null);
    if (me) throw redirect({ to: '/' });
  },
  component: SignIn,
});

const messages: Record<string, string> = {
  invalid_credentials: 'That email and password do not match an active account.',
  rate_limited: 'Too many attempts. Wait a minute, then try again.',
  network_error: 'TOD could not be reached. Check the connection and try again.',
};

function SignIn() {
  const search = Route.useSearch();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email, password);
      await queryClient.invalidateQueries();
      await navigate({ href: search.redirect ?? '/' });
    } catch (err) {
      const code = err instanceof ApiError ? err.code : 'network_error';
      setError(messages[code] ?? (err instanceof ApiError ? err.detail : 'Sign-in failed.'));
      setBusy(false);
    }
  }

  return (
    <main className="grid min-h-dvh place-items-center bg-surface px-4">
      <div className="grid w-full max-w-sm animate-page-in gap-6">
        <div className="grid justify-items-center gap-3 text-center">
          <Logo className="size-9" />
          <div className="grid gap-1">
            <h1 className="text-lg font-semibold tracking-tight">Sign in to TOD</h1>
            <p className="text-[13px] text-muted-foreground">The Other Dude — RouterOS fleet manager</p>
          </div>
        </div>
        <form onSubmit={submit} noValidate className="grid gap-4 rounded-xl border bg-card p-5 shadow-sm">
          <Field id="email" label="Email">
            <Input
              id="email"
              type="email"
              autoComplete="username"
              autoFocus
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'sign-in-error' : undefined}
            />
          </Field>
          <Field id="password" label="Password">
            <Input
              id="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? 'sign-in-error' : undefined}
            />
          </Field>
          {error ? (
            <p
              id="sign-in-error"
              role="alert"
              className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-[13px] text-destructive"
            >
              {error}
            </p>
          ) : null}
          <Button type="submit" variant="primary" size="lg" disabled={busy || !email || !password}>
            {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
            Sign in
          </Button>
        </form>
      </div>
    </main>
  );
}
