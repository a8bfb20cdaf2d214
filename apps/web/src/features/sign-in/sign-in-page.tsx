import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { formatSecretKey } from '@tod/srp';
import { KeyRound, Loader2, QrCode } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { authOptionsQuery } from '@/api/auth';
import { ApiError } from '@/api/errors';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { AuthFrame, FormError } from './auth-frame';
import { loadSecretKey } from './secret-key-store';
import { insecureContextMessage, passwordSignIn, readSecretKey, srpSignIn } from './srp-flow';

const messages: Record<string, string> = {
  invalid_credentials: 'That email, password and Secret Key do not match an active account.',
  server_proof_failed: 'The server could not prove it is your TOD. Sign-in was stopped.',
  rate_limited: 'Too many attempts. Wait a minute, then try again.',
  network_error: 'TOD could not be reached. Check the connection and try again.',
};

/**
 * A password-only sign-in that failed: either the temporary password is wrong, or the account has enrolled and needs
 * its Secret Key. The server does not say which (the same 401 for every failure, so sign-in does not reveal who is
 * enrolled; older servers answered 409 srp_required), so the page explains both and offers the key's field.
 */
const withoutKey =
  'That email and password do not match a temporary password. If you have already set up your sign-in, your account needs its Secret Key too: enter it from your Emergency Kit.';

/** Whether a failed sign-in without a Secret Key may just be missing the key. */
const mayNeedSecretKey = (err: unknown) =>
  err instanceof ApiError && (err.status === 401 || err.code === 'srp_required');

export function SignInPage({ redirectTo }: { redirectTo?: string }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const options = useQuery(authOptionsQuery);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [keyText, setKeyText] = useState('');
  const [storedKey, setStoredKey] = useState<Uint8Array | undefined>();
  const [useOtherKey, setUseOtherKey] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [insecure] = useState(insecureContextMessage);
  const [busy, setBusy] = useState<null | 'deriving' | 'signing-in'>(null);
  const [keyMissing, setKeyMissing] = useState(false);
  const keyInput = useRef<HTMLInputElement>(null);

  // A browser that enrolled (or signed in) before remembers the Secret Key for that email.
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => void loadSecretKey(email).then((k) => live && setStoredKey(k)), 150);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [email]);
  const knownBrowser = storedKey !== undefined && !useOtherKey;

  async function readQr(file: File | undefined) {
    if (!file) return;
    setError(null);
    const kit = await import('@/features/emergency-kit');
    const text = await kit.readQrFromFile(file).catch(() => null);
    const content = text ? kit.parseKitQrPayload(text) : null;
    if (!content) return setError('No Emergency Kit QR code was found in that picture.');
    setKeyText(content.secretKey);
    if (content.email) setEmail(content.email);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setError(null);
    setKeyMissing(false);
    let key: Uint8Array | undefined = knownBrowser ? storedKey : undefined;
    if (!knownBrowser && keyText.trim()) {
      key = readSecretKey(keyText);
      if (!key) return setError('That Secret Key is not complete: it looks like A3-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX.');
    }
    try {
      if (key) {
        setBusy('deriving');
        await srpSignIn(email, password, key);
        await queryClient.invalidateQueries();
        await navigate({ href: redirectTo ?? '/' });
      } else {
        // No Secret Key: a temporary password from an administrator (or the first admin's bootstrap password).
        setBusy('signing-in');
        await passwordSignIn(email, password);
        await queryClient.invalidateQueries();
        await navigate({ to: '/enrol' });
      }
    } catch (err) {
      setBusy(null);
      if (!key && mayNeedSecretKey(err)) {
        setUseOtherKey(true);
        setKeyMissing(true);
        setError(withoutKey);
        // After the re-render that shows the field (a browser that knew another key hides it).
        setTimeout(() => keyInput.current?.focus());
        return;
      }
      const code = err instanceof ApiError ? err.code : 'network_error';
      setError(messages[code] ?? (err instanceof ApiError ? err.detail : 'Sign-in failed.'));
    }
  }

  const describedBy = error ? 'sign-in-error' : undefined;
  return (
    <AuthFrame title="Sign in to TOD" subtitle="The Other Dude — RouterOS fleet manager">
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
            aria-describedby={describedBy}
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
            aria-describedby={describedBy}
          />
        </Field>
        {knownBrowser ? (
          <p className="flex items-center gap-2 text-xs text-muted-foreground">
            <KeyRound className="size-3.5" aria-hidden />
            <span>
              Secret Key {formatSecretKey(storedKey).slice(0, 9)}… is saved in this browser.{' '}
              <button type="button" className="underline" onClick={() => setUseOtherKey(true)}>
                Use another
              </button>
            </span>
          </p>
        ) : (
          <div className="grid gap-1.5">
            <Field
              id="secret-key"
              label="Secret Key"
              hint="From your Emergency Kit. Leave it empty only if an administrator gave you a temporary password."
            >
              <Input
                id="secret-key"
                ref={keyInput}
                aria-invalid={keyMissing ? true : undefined}
                autoComplete="off"
                spellCheck={false}
                placeholder="A3-XXXXXX-XXXXX-XXXXX-XXXXX-XXXXX"
                className="font-mono"
                value={keyText}
                onChange={(e) => setKeyText(e.target.value)}
                aria-describedby={describedBy}
              />
            </Field>
            <label className="flex w-fit cursor-pointer items-center gap-1.5 text-xs text-muted-foreground hover:text-foreground">
              <QrCode className="size-3.5" aria-hidden />
              Read it from a photo of the kit’s QR code
              <input
                type="file"
                accept="image/*"
                className="sr-only"
                onChange={(e) => void readQr(e.target.files?.[0])}
              />
            </label>
          </div>
        )}
        <FormError id="sign-in-error" message={error ?? insecure} />
        <Button type="submit" variant="primary" size="lg" disabled={busy !== null || !email || !password || !!insecure}>
          {busy ? <Loader2 className="animate-spin" aria-hidden /> : null}
          {busy === 'deriving' ? 'Deriving your key…' : 'Sign in'}
        </Button>
        {options.data?.password_reset_email ? (
          <Link to="/forgot-password" className="justify-self-center text-xs text-muted-foreground underline">
            Forgot your password?
          </Link>
        ) : null}
      </form>
    </AuthFrame>
  );
}
