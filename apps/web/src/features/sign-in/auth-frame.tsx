import { Logo } from '@/components/shell/logo';

/** The one error box of an auth form, referenced by its inputs' aria-describedby. */
export function FormError({ id, message }: { id: string; message: string | null }) {
  if (!message) return null;
  return (
    <p
      id={id}
      role="alert"
      className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-[13px] text-destructive"
    >
      {message}
    </p>
  );
}

export function AuthFrame({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: string;
  children: React.ReactNode;
}) {
  return (
    <main className="grid min-h-dvh place-items-center bg-surface px-4 py-8">
      <div className="grid w-full max-w-md animate-page-in gap-6">
        <div className="grid justify-items-center gap-3 text-center">
          <Logo className="size-9" />
          <div className="grid gap-1">
            <h1 className="text-lg font-semibold tracking-tight">{title}</h1>
            {subtitle ? <p className="text-[13px] text-muted-foreground">{subtitle}</p> : null}
          </div>
        </div>
        {children}
      </div>
    </main>
  );
}
