import * as ToastPrimitive from '@radix-ui/react-toast';
import { CircleAlert, CircleCheck, X } from 'lucide-react';
import { useSyncExternalStore } from 'react';
import { cn } from '@/lib/cn';

// A tiny store so any code (mutations, shortcuts) can raise a toast without prop drilling. At most three show:
// a burst of actions should not bury the page.
type ToastItem = { id: number; title: string; description?: string; tone: 'success' | 'error' };
let items: ToastItem[] = [];
let nextId = 1;
const listeners = new Set<() => void>();
const emit = () => {
  for (const l of listeners) l();
};

export const toast = {
  success(title: string, description?: string) {
    items = [...items, { id: nextId++, title, description, tone: 'success' as const }].slice(-3);
    emit();
  },
  error(title: string, description?: string) {
    items = [...items, { id: nextId++, title, description, tone: 'error' as const }].slice(-3);
    emit();
  },
};

function dismiss(id: number) {
  items = items.filter((t) => t.id !== id);
  emit();
}

export function Toaster() {
  const list = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => items,
  );
  return (
    <ToastPrimitive.Provider swipeDirection="right" duration={4500}>
      {list.map((t) => (
        <ToastPrimitive.Root
          key={t.id}
          onOpenChange={(open) => !open && dismiss(t.id)}
          className="group flex w-80 items-start gap-2.5 rounded-lg border bg-popover p-3 shadow-lg data-[state=open]:animate-pop-in data-[swipe=end]:opacity-0"
        >
          {t.tone === 'success' ? (
            <CircleCheck className="mt-px size-4 shrink-0 text-success" aria-hidden />
          ) : (
            <CircleAlert className="mt-px size-4 shrink-0 text-destructive" aria-hidden />
          )}
          <div className="grid flex-1 gap-0.5">
            <ToastPrimitive.Title className="text-[13px] font-medium">{t.title}</ToastPrimitive.Title>
            {t.description ? (
              <ToastPrimitive.Description className={cn('text-xs text-muted-foreground')}>
                {t.description}
              </ToastPrimitive.Description>
            ) : null}
          </div>
          <ToastPrimitive.Close aria-label="Dismiss" className="text-muted-foreground hover:text-foreground">
            <X className="size-3.5" />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport className="fixed right-4 bottom-4 z-[100] flex flex-col gap-2 outline-none" />
    </ToastPrimitive.Provider>
  );
}
