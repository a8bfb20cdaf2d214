import type * as React from 'react';
import { cn } from '@/lib/cn';

export const inputClass =
  'h-8 w-full min-w-0 rounded-md border border-input bg-background px-2.5 text-[13px] shadow-xs transition-colors placeholder:text-muted-foreground focus-visible:outline-none focus-visible:border-ring focus-visible:ring-3 focus-visible:ring-ring/25 disabled:opacity-50 aria-invalid:border-destructive aria-invalid:ring-destructive/20';

export function Input({ className, ...props }: React.ComponentProps<'input'>) {
  return <input className={cn(inputClass, className)} {...props} />;
}
