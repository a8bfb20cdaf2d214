import { Layers } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter, DialogTrigger } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { tileUrlProblem } from './base-map';

// Which base map this browser shows: the built-in outlines (offline, the default) or a tile server's streets.

export function BaseMapDialog({ tiles, onChange }: { tiles: string | null; onChange: (url: string | null) => void }) {
  const [open, setOpen] = useState(false);
  const [useTiles, setUseTiles] = useState(tiles !== null);
  const [url, setUrl] = useState(tiles ?? '');
  const [tried, setTried] = useState(false);
  const problem = useTiles ? tileUrlProblem(url) : null;
  return (
    <Dialog
      open={open}
      onOpenChange={(o) => {
        setOpen(o);
        if (o) {
          setUseTiles(tiles !== null);
          setUrl(tiles ?? '');
          setTried(false);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <Layers aria-hidden /> Base map
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Base map"
        description="Remembered in this browser. The built-in outlines need nothing from the internet."
      >
        <form
          aria-label="Base map"
          className="grid gap-3"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setTried(true);
            if (problem) return;
            onChange(useTiles ? url.trim() : null);
            setOpen(false);
          }}
        >
          <fieldset className="grid gap-2 border-0 p-0">
            <legend className="sr-only">Base map</legend>
            <label className="flex items-start gap-2 text-[13px]">
              <input type="radio" name="base" checked={!useTiles} onChange={() => setUseTiles(false)} />
              <span>
                Country outlines (built in, offline)
                <span className="block text-xs text-muted-foreground">Natural Earth 1:50m, bundled with TOD.</span>
              </span>
            </label>
            <label className="flex items-start gap-2 text-[13px]">
              <input type="radio" name="base" checked={useTiles} onChange={() => setUseTiles(true)} />
              <span>
                A tile server
                <span className="block text-xs text-muted-foreground">
                  Streets from a server you run or may use. TOD's Content-Security-Policy lets the browser load images
                  from TOD's own address only, so serve the tiles through it (a path such as /tiles/{'{z}/{x}/{y}'}.png
                  on the proxy in front of TOD).
                </span>
              </span>
            </label>
          </fieldset>
          {useTiles ? (
            <Field id="tile-url" label="Tile URL template" error={tried ? (problem ?? undefined) : undefined}>
              <Input
                id="tile-url"
                placeholder="/tiles/{z}/{x}/{y}.png"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                aria-invalid={tried && problem ? true : undefined}
              />
            </Field>
          ) : null}
          <DialogFooter>
            <Button variant="ghost" onClick={() => setOpen(false)}>
              Cancel
            </Button>
            <Button type="submit" variant="primary">
              Use this base map
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
