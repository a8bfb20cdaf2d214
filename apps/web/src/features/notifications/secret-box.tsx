import { Check, Copy, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';

/**
 * A webhook's signing secret, shown the one time the server answers it (on creation and on rotation): the server
 * keeps it sealed and never shows it again.
 */
export function SecretBox({ secret }: { secret: string }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      // Clipboard refused (permissions, insecure context): select the text so Ctrl+C works.
      document.querySelector<HTMLInputElement>('#channel-secret')?.select();
    }
    setCopied(true);
  }
  return (
    <div className="grid gap-2" data-channel-secret>
      <div className="flex gap-2">
        <Input
          id="channel-secret"
          readOnly
          value={secret}
          aria-label="Signing secret"
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
        You won’t see this again. The receiver checks each notification’s X-TOD-Signature header with it.
      </p>
    </div>
  );
}
