import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { Loader2 } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { auth } from '@/api/auth';
import { ApiError } from '@/api/errors';
import { AuthFrame, FormError } from './auth-frame';

/** Opens the emailed link: the token is in the fragment (never sent to a server log); spending it starts enrolment. */
export function ResetPasswordPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const token = new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
    // Drop the token from the address bar and history at once.
    window.history.replaceState(null, '', window.location.pathname);
    auth
      .resetPassword(token)
      .then(async () => {
        await queryClient.invalidateQueries();
        await navigate({ to: '/enrol' });
      })
      .catch((err) =>
        setError(
          err instanceof ApiError && (err.code === 'reset_link_invalid' || err.status === 422)
            ? 'This reset link has expired or was already used. Ask for a new one.'
            : 'The reset could not be completed; try the link again.',
        ),
      );
  }, [navigate, queryClient]);

  return (
    <AuthFrame title="Reset your password">
      <div className="grid justify-items-center gap-3 rounded-xl border bg-card p-5 text-center shadow-sm">
        {error ? (
          <>
            <FormError id="reset-error" message={error} />
            <Link to="/forgot-password" className="text-xs underline">
              Ask for a new link
            </Link>
          </>
        ) : (
          <p className="flex items-center gap-2 text-[13px]" role="status">
            <Loader2 className="size-4 animate-spin" aria-hidden /> Checking your link…
          </p>
        )}
      </div>
    </AuthFrame>
  );
}
