import type * as React from 'react';
import { cn } from '@/lib/cn';
import { Label } from './label';

/** A labelled form control with an optional hint and an inline error (announced to screen readers). */
export function Field(props: {
  id: string;
  label: string;
  hint?: string;
  error?: string;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div className={cn('grid gap-1.5', props.className)}>
      <Label htmlFor={props.id}>{props.label}</Label>
      {props.children}
      {props.error ? (
        <p id={`${props.id}-error`} role="alert" className="text-xs text-destructive">
          {props.error}
        </p>
      ) : props.hint ? (
        <p className="text-xs text-muted-foreground">{props.hint}</p>
      ) : null}
    </div>
  );
}
