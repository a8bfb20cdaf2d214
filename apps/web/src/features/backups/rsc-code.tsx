import { cn } from '@/lib/cn';
import { type TokenKind, tokenize } from './rsc-syntax';

const tokenClass: Record<TokenKind, string> = {
  comment: 'text-muted-foreground italic',
  path: 'text-info font-semibold',
  verb: 'text-warning font-semibold',
  name: 'text-muted-foreground',
  value: '',
  string: 'text-success',
  punct: 'text-muted-foreground',
  text: '',
};

/** One line of RouterOS configuration, highlighted. */
export function RscLine({ text, className }: { text: string; className?: string }) {
  return (
    <code className={cn('font-mono text-xs whitespace-pre-wrap break-all', className)}>
      {tokenize(text).map((t, i) => (
        // Tokens have no identity beyond their place in the line.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <span key={i} className={tokenClass[t.kind]} data-token={t.kind}>
          {t.text}
        </span>
      ))}
    </code>
  );
}
