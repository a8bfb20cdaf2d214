import { Link } from '@tanstack/react-router';
import { cn } from '@/lib/cn';

const tabClass = cn(
  '-mb-px inline-flex h-9 items-center border-b-2 border-transparent px-3 text-[13px] text-muted-foreground',
  'hover:text-foreground data-[status=active]:border-foreground data-[status=active]:font-medium data-[status=active]:text-foreground',
);

/** Alerts and their rules: two pages under one sidebar entry. */
export function AlertsTabs() {
  return (
    <nav aria-label="Alerts sections" className="mb-4 flex gap-1 border-b">
      <Link to="/alerts" activeOptions={{ exact: true }} className={tabClass}>
        Alerts
      </Link>
      <Link to="/alerts/rules" className={tabClass}>
        Rules
      </Link>
    </nav>
  );
}
