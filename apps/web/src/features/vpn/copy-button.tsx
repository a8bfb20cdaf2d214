import { Check, Copy } from 'lucide-react';
import { useState } from 'react';
import { Button } from '@/components/ui/button';

/** Copies `text`; where the clipboard is refused (permissions, insecure context), selects `selectId`'s text instead. */
export function CopyButton(props: {
  text: string;
  label: string;
  selectId?: string;
  size?: 'sm' | 'md' | 'icon-sm';
  variant?: 'primary' | 'secondary';
}) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(props.text);
    } catch {
      const el = props.selectId ? document.getElementById(props.selectId) : null;
      if (el instanceof HTMLTextAreaElement || el instanceof HTMLInputElement) el.select();
    }
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  const icon = copied ? <Check aria-hidden /> : <Copy aria-hidden />;
  if (props.size === 'icon-sm')
    return (
      <Button size="icon-sm" variant="ghost" aria-label={props.label} title={props.label} onClick={copy}>
        {icon}
      </Button>
    );
  return (
    <Button size={props.size ?? 'md'} variant={props.variant ?? 'secondary'} onClick={copy}>
      {icon}
      {copied ? 'Copied' : props.label}
    </Button>
  );
}
