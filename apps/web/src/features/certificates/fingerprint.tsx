import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { cn } from '@/lib/cn';

// A SHA-256 fingerprint (32 colon-separated bytes): its first bytes shown, the whole in the title and copied by
// the button, to compare with what `/certificate print` shows on the router.

const SHOWN_BYTES = 8;

export function Fingerprint(props: { value: string; of: string; full?: boolean }) {
  const [copied, setCopied] = useState(false);
  const bytes = props.value.split(':');
  const shown = props.full || bytes.length <= SHOWN_BYTES ? props.value : `${bytes.slice(0, SHOWN_BYTES).join(':')}…`;
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (permissions, insecure context): the title still shows the whole of it.
    }
  }
  return (
    <span className="inline-flex items-center gap-1" data-fingerprint={props.value}>
      <code className={cn('font-mono text-xs', props.full && 'break-all')} title={props.value}>
        {shown}
      </code>
      <Button size="icon-sm" variant="ghost" aria-label={`Copy the fingerprint of ${props.of}`} onClick={copy}>
        {copied ? <Check aria-hidden /> : <Copy aria-hidden />}
      </Button>
    </span>
  );
}
