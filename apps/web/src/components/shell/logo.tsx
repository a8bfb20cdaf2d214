import { cn } from '@/lib/cn';

export function Logo({ className }: { className?: string }) {
  return (
    <svg viewBox="0 0 32 32" aria-hidden className={cn('size-6', className)}>
      <rect width="32" height="32" rx="8" className="fill-primary" />
      <path
        d="M9 11h14M16 11v11"
        className="stroke-primary-foreground"
        strokeWidth="3"
        strokeLinecap="round"
        fill="none"
      />
      <circle cx="23" cy="22" r="2.5" className="fill-success" />
    </svg>
  );
}
