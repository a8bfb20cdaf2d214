import { Check, Copy, Loader2, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { createApiKey } from '@/api/api-keys';
import type { ApiKeyCreated } from '@/api/types';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';

/** Creates a key and shows it exactly once: the server keeps only its hash. */
export function CreateKeyDialog(props: { tenantId: string; open: boolean; onOpenChange: (o: boolean) => void }) {
  const [name, setName] = useState('');
  const [created, setCreated] = useState<ApiKeyCreated | null>(null);
  const [copied, setCopied] = useState(false);
  const create = useApiMutation(createApiKey, {
    success: (k) => `API key “${k.name}” created`,
    silentErrors: true,
  });
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) {
      setName('');
      setCreated(null);
      setCopied(false);
      create.reset();
    }
  };
  async function copy() {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.key);
    } catch {
      // Clipboard refused (permissions, insecure context): select the text so Ctrl+C works.
      document.querySelector<HTMLInputElement>('#created-key')?.select();
    }
    setCopied(true);
  }

  return (
    <Dialog open={props.open} onOpenChange={close}>
      {created ? (
        <DialogContent
          title="Copy your API key"
          description="This is the only time it is shown. Store it somewhere safe."
        >
          <div className="flex gap-2">
            <Input
              id="created-key"
              readOnly
              value={created.key}
              aria-label="API key"
              className="font-mono text-xs"
              onFocus={(e) => e.target.select()}
            />
            <Button onClick={copy}>
              {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
              {copied ? 'Copied' : 'Copy'}
            </Button>
          </div>
          <p className="flex items-start gap-2 rounded-md border border-warning/30 bg-warning/10 px-3 py-2 text-xs text-warning">
            <TriangleAlert className="mt-px size-3.5 shrink-0" aria-hidden />
            Send it as the X-API-Key header. It acts with operator rights in this organisation until revoked.
          </p>
          <DialogFooter>
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      ) : (
        <DialogContent title="New API key" description="For scripts and integrations that call the TOD API.">
          <form
            noValidate
            className="grid gap-4"
            onSubmit={(e) => {
              e.preventDefault();
              create.mutate({ tenantId: props.tenantId, name }, { onSuccess: (k) => setCreated(k) });
            }}
          >
            <Field
              id="key-name"
              label="Name"
              hint="What uses it, e.g. “Monitoring export”"
              error={create.error?.field('name') ?? create.error?.detail}
            >
              <Input id="key-name" autoFocus value={name} onChange={(e) => setName(e.target.value)} />
            </Field>
            <DialogFooter>
              <Button onClick={() => close(false)}>Cancel</Button>
              <Button type="submit" variant="primary" disabled={create.isPending || !name.trim()}>
                {create.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
                Create key
              </Button>
            </DialogFooter>
          </form>
        </DialogContent>
      )}
    </Dialog>
  );
}
