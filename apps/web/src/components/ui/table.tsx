import type * as React from 'react';
import { cn } from '@/lib/cn';

export function Table({ className, ...props }: React.ComponentProps<'table'>) {
  return (
    <div className="relative w-full overflow-x-auto">
      <table className={cn('w-full caption-bottom text-[13px]', className)} {...props} />
    </div>
  );
}
export function THead(props: React.ComponentProps<'thead'>) {
  return <thead className="border-b bg-surface/60 [&_th]:h-8" {...props} />;
}
export function TBody(props: React.ComponentProps<'tbody'>) {
  return <tbody className="divide-y [&_tr:hover]:bg-accent/40" {...props} />;
}
export function Th({ className, ...props }: React.ComponentProps<'th'>) {
  return (
    <th
      className={cn(
        'px-4 text-left align-middle text-xs font-medium text-muted-foreground whitespace-nowrap',
        className,
      )}
      {...props}
    />
  );
}
export function Td({ className, ...props }: React.ComponentProps<'td'>) {
  return <td className={cn('px-4 py-2.5 align-middle', className)} {...props} />;
}
