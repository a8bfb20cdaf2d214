import type * as React from 'react';

/** The top of every page: a title, one line on what the page is for, and its primary actions. */
export function PageHeader(props: { title: string; description?: string; actions?: React.ReactNode }) {
  return (
    <div className="flex flex-wrap items-end justify-between gap-3 pb-5">
      <div className="grid gap-1">
        <h1 className="text-xl font-semibold tracking-tight">{props.title}</h1>
        {props.description ? <p className="text-[13px] text-muted-foreground">{props.description}</p> : null}
      </div>
      {props.actions ? <div className="flex items-center gap-2">{props.actions}</div> : null}
    </div>
  );
}

export function Kbd({ children }: { children: React.ReactNode }) {
  return (
    <kbd className="inline-flex h-5 min-w-5 items-center justify-center rounded border bg-surface px-1 font-mono text-[11px] text-muted-foreground">
      {children}
    </kbd>
  );
}
