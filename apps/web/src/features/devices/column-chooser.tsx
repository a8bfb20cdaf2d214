import { Columns3 } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Popover, PopoverContent, PopoverTrigger } from '@/components/ui/popover';
import { columns } from './columns';

/** Which columns the table shows (remembered); hidden columns are not fetched either. */
export function ColumnChooser({ hidden, onChange }: { hidden: string[]; onChange: (h: string[]) => void }) {
  return (
    <Popover>
      <PopoverTrigger asChild>
        <Button size="sm" variant="ghost">
          <Columns3 aria-hidden /> Columns
        </Button>
      </PopoverTrigger>
      <PopoverContent align="end" className="w-48 p-1">
        <fieldset className="grid">
          <legend className="sr-only">Visible columns</legend>
          {columns.map((c) => (
            <label
              key={c.id}
              className="flex items-center gap-2 rounded-md px-2 py-1.5 text-[13px] hover:bg-accent has-disabled:opacity-60"
            >
              <input
                type="checkbox"
                className="size-3.5 accent-foreground"
                disabled={c.fixed}
                checked={!hidden.includes(c.id)}
                onChange={(e) => onChange(e.target.checked ? hidden.filter((h) => h !== c.id) : [...hidden, c.id])}
              />
              {c.label}
            </label>
          ))}
        </fieldset>
      </PopoverContent>
    </Popover>
  );
}
