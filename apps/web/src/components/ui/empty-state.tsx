import type { LucideIcon } from 'lucide-react';
import type * as React from 'react';

/** What an empty list shows: what this is, and the next thing to do about it. */
export function EmptyState(props: {
  icon: LucideIcon;
  title: string;
  children: React.ReactNode;
  action?: React.ReactNode;
}) {
  const Icon = props.icon;
  return (
    <div className="flex flex-col items-center justify-center gap-3 px-6 py-14 text-center">
      <div className="grid size-10 place-items-center rounded-lg border bg-surface text-muted-foreground">
        <Icon className="size-5" aria-hidden />
      </div>
      <div className="grid max-w-sm gap-1">
        <h3 className="text-sm font-semibold">{props.title}</h3>
        <p className="text-[13px] text-muted-foreground">{props.children}</p>
      </div>
      {props.action}
    </div>
  );
}
