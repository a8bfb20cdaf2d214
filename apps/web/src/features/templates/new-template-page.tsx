import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { ChevronLeft } from 'lucide-react';
import { useState } from 'react';
import { createTemplate, type Starter, startersQuery } from '@/api/templates';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Skeleton } from '@/components/ui/skeleton';
import { useApiMutation } from '@/lib/mutation';
import { blankDraft, createBody, type Draft, draftOf } from './draft';
import { TemplateEditor } from './editor';

// A new template: blank, or a copy of a starter (`?starter=<key>`). Saved, it opens on its own page.

/** `?starter=<key>`: the starter to copy. */
export function starterSearch(s: Record<string, unknown>): { starter?: string } {
  return typeof s.starter === 'string' && s.starter ? { starter: s.starter } : {};
}

export function NewTemplatePage() {
  const { current } = useTenants();
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="templates.write">
      <NewTemplate key={current.id} tenantId={current.id} />
    </RequirePermission>
  );
}

function NewTemplate({ tenantId }: { tenantId: string }) {
  const { starter } = useSearch({ from: '/_app/templates/new' });
  const starters = useQuery({ ...startersQuery(tenantId), enabled: starter !== undefined });
  const from = starters.data?.find((s) => s.key === starter);
  return (
    <div className="grid gap-1">
      <Link
        to="/templates"
        className="inline-flex w-fit items-center gap-1 text-[13px] text-muted-foreground hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden />
        Templates
      </Link>
      <PageHeader
        title="New template"
        {...(from ? { description: `From the starter “${from.name}”: ${from.description}` } : {})}
      />
      {starter !== undefined && starters.isPending ? (
        <Skeleton className="h-96 w-full" />
      ) : starter !== undefined && !from ? (
        <p role="alert" className="text-[13px] text-destructive">
          {starters.error ? `Could not load the starters: ${starters.error.message}` : `No starter “${starter}”.`}
        </p>
      ) : (
        <Form key={starter ?? ''} tenantId={tenantId} starter={from} />
      )}
    </div>
  );
}

function Form({ tenantId, starter }: { tenantId: string; starter: Starter | undefined }) {
  const [draft, setDraft] = useState<Draft>(() => (starter ? draftOf(starter) : blankDraft()));
  const navigate = useNavigate();
  const create = useApiMutation(createTemplate, { success: (t) => `${t.name} created`, silentErrors: true });
  return (
    <TemplateEditor
      tenantId={tenantId}
      draft={draft}
      onChange={setDraft}
      readOnly={false}
      saving={create.isPending}
      error={create.error}
      dirty={draft.name.trim() !== '' && draft.body.trim() !== ''}
      saveLabel="Create template"
      onSave={() =>
        create.mutate(
          { tenantId, body: createBody(draft) },
          { onSuccess: (t) => navigate({ to: '/templates/$templateId', params: { templateId: t.id } }) },
        )
      }
    />
  );
}
