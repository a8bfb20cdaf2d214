import { useQuery } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useEffect, useState } from 'react';
import { type RuleDraft, rulePreviewQuery } from '@/api/alerts';
import { Badge } from '@/components/ui/badge';
import { formatValue } from './words';

const DEBOUNCE_MS = 400;

/** The draft after `ms` without a change: one preview per pause in typing, not per key. */
function useSettled<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the draft is compared by its JSON, not its identity
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(t);
  }, [key, ms]);
  return settled;
}

/**
 * Which devices the draft covers and how many would fire on their latest poll, as the server evaluates it: the
 * rule's scope after narrower rules take their devices, and the threshold against real figures.
 */
export function RulePreview(props: {
  tenantId: string;
  draft: RuleDraft | null;
  unit: string | null;
  ruleId?: string;
}) {
  const draft = useSettled(props.draft, DEBOUNCE_MS);
  const q = useQuery(rulePreviewQuery(props.tenantId, draft));
  const p = q.data;
  const superseded = (p?.superseded_by ?? []).filter((r) => r.id !== props.ruleId);
  return (
    <section aria-label="Preview" aria-live="polite" className="grid content-start gap-3 text-[13px]" data-preview>
      <h3 className="flex items-center gap-1.5 text-xs font-medium text-muted-foreground">
        Preview
        {q.isFetching ? <Loader2 className="size-3 animate-spin" aria-hidden /> : null}
      </h3>
      {!draft && !p ? (
        <p className="text-muted-foreground">Fill in the condition to see which devices it covers.</p>
      ) : q.error ? (
        <p role="alert" className="text-destructive">
          {q.error.message}
        </p>
      ) : p ? (
        <div className="grid gap-3">
          {props.draft === null ? (
            <p className="text-xs text-muted-foreground">For the last complete condition:</p>
          ) : null}
          <p data-preview-summary>
            Covers <strong data-preview-covered={p.devices_covered}>{plural(p.devices_covered, 'device')}</strong>,{' '}
            <strong data-preview-fire={p.would_fire}>{p.would_fire}</strong> would fire now.
          </p>
          {superseded.length ? (
            <p className="text-muted-foreground" data-superseded>
              On some devices a narrower rule for the same metric applies instead:{' '}
              {superseded.map((r) => r.name).join(', ')}.
            </p>
          ) : null}
          {p.sample.length ? (
            <ul className="grid gap-1" aria-label="Latest figures">
              {p.sample.slice(0, 12).map((s) => (
                <li key={`${s.device_id}-${s.target}`} className="flex items-center justify-between gap-2">
                  <span className="min-w-0 truncate">
                    {s.device_name}
                    {s.target ? <span className="text-muted-foreground"> · {s.target}</span> : null}
                  </span>
                  <span className="flex items-center gap-1.5 tabular-nums">
                    {formatValue(s.value, props.unit)}
                    {s.breaching ? <Badge tone="danger">fires</Badge> : null}
                  </span>
                </li>
              ))}
            </ul>
          ) : p.devices_covered > 0 ? (
            <p className="text-muted-foreground">No figures yet: the covered devices have not reported this metric.</p>
          ) : null}
        </div>
      ) : (
        <p className="text-muted-foreground">Checking…</p>
      )}
    </section>
  );
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
