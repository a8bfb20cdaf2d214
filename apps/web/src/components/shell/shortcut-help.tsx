import { Dialog, DialogContent } from '@/components/ui/dialog';
import type { NavEntry } from '@/features/feature';
import { Kbd } from './page';

export function ShortcutHelp(props: { open: boolean; onOpenChange: (o: boolean) => void; items: NavEntry[] }) {
  const rows: [React.ReactNode, string][] = [
    [
      <>
        <Kbd>⌘</Kbd>
        <Kbd>K</Kbd>
      </>,
      'Command palette: jump to a page or run an action',
    ],
    [<Kbd key="/">/</Kbd>, 'Search on this page'],
    [<Kbd key="?">?</Kbd>, 'This help'],
    ...props.items
      .filter((i) => i.key)
      .map((i): [React.ReactNode, string] => [
        <>
          <Kbd>g</Kbd>
          <Kbd>{i.key}</Kbd>
        </>,
        `Go to ${i.label.toLowerCase()}`,
      ]),
  ];
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent title="Keyboard shortcuts" description="Ctrl works wherever ⌘ is shown.">
        <dl className="grid gap-2">
          {rows.map(([keys, what]) => (
            <div key={what} className="flex items-center justify-between gap-4 text-[13px]">
              <dt className="text-muted-foreground">{what}</dt>
              <dd className="flex gap-1">{keys}</dd>
            </div>
          ))}
        </dl>
      </DialogContent>
    </Dialog>
  );
}
