import * as TooltipPrimitive from '@radix-ui/react-tooltip';
import type * as React from 'react';

export const TooltipProvider = TooltipPrimitive.Provider;

/** A short hint on hover or focus; `side` defaults to the right for the sidebar's icon rail. */
export function Tooltip(props: {
  content: React.ReactNode;
  side?: 'top' | 'right' | 'bottom' | 'left';
  disabled?: boolean;
  children: React.ReactElement;
}) {
  if (props.disabled) return props.children;
  return (
    <TooltipPrimitive.Root>
      <TooltipPrimitive.Trigger asChild>{props.children}</TooltipPrimitive.Trigger>
      <TooltipPrimitive.Portal>
        <TooltipPrimitive.Content
          side={props.side ?? 'right'}
          sideOffset={6}
          className="z-50 rounded-md bg-primary px-2 py-1 text-xs text-primary-foreground shadow-md data-[state=delayed-open]:animate-fade-in"
        >
          {props.content}
        </TooltipPrimitive.Content>
      </TooltipPrimitive.Portal>
    </TooltipPrimitive.Root>
  );
}
