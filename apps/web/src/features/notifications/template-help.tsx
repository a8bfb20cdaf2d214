import { useQuery } from '@tanstack/react-query';
import { templateHelpQuery } from '@/api/notification-channels';

// The variables a message template may use and the default message, as the server answers them (one list, the
// server's: a name not in it is refused when the channel is saved).

/** The default firing message, shown as the template field's placeholder. */
export function useDefaultTemplate(tenantId: string): string {
  return useQuery(templateHelpQuery(tenantId)).data?.defaults.firing ?? '';
}

/** A collapsed list of the template variables, under the template field. */
export function TemplateHelp({ tenantId }: { tenantId: string }) {
  const { data } = useQuery(templateHelpQuery(tenantId));
  return (
    <details className="text-xs text-muted-foreground">
      <summary className="cursor-pointer select-none hover:text-foreground">Variables you can use</summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 rounded-md border bg-surface p-2">
        {(data?.variables ?? []).map((v) => (
          <div key={v.name} className="contents">
            <dt className="font-mono text-foreground">{`{{${v.name}}}`}</dt>
            <dd>{v.description}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
