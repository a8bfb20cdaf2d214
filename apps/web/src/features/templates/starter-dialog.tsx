import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { startersQuery } from '@/api/templates';
import { Dialog, DialogContent } from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { plural } from './words';

// "New from starter": the server's starter set (basic router, firewall, DHCP server, wireless AP, initial setup);
// picking one opens the editor with a copy of it, saved only when the user saves.

export function StarterDialog(props: { tenantId: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const q = useQuery({ ...startersQuery(props.tenantId), enabled: props.open });
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent
        title="New from a starter"
        description="A copy of a starter opens in the editor: change anything, then save it as your own."
        className="top-[8vh] max-w-xl"
      >
        {q.isPending ? (
          <Skeleton className="h-40 w-full" />
        ) : q.error ? (
          <p role="alert" className="text-[13px] text-destructive">
            Could not load the starters: {q.error.message}
          </p>
        ) : (
          <ul className="grid max-h-[60vh] gap-2 overflow-y-auto">
            {q.data.map((s) => (
              <li key={s.key}>
                <Link
                  to="/templates/new"
                  search={{ starter: s.key }}
                  className="grid gap-0.5 rounded-md border px-3 py-2 hover:bg-accent"
                  data-starter={s.key}
                >
                  <span className="text-[13px] font-medium">{s.name}</span>
                  <span className="text-xs text-muted-foreground">{s.description}</span>
                  <span className="text-xs text-muted-foreground">{plural(s.variables.length, 'variable')}</span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </DialogContent>
    </Dialog>
  );
}
