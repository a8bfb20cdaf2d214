import { useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { ChevronLeft, Send, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { deleteTemplate, type Template, templateQuery, updateTemplate } from '@/api/templates';
import { useTenants } from '@/auth/tenant';
import { NoOrganisation } from '@/components/shell/no-organisation';
import { PageHeader } from '@/components/shell/page';
import { RequirePermission } from '@/components/shell/require-permission';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Confirm } from '@/components/ui/confirm';
import { Skeleton } from '@/components/ui/skeleton';
import { cn } from '@/lib/cn';
import { useApiMutation } from '@/lib/mutation';
import { useFleetStream } from '../fleet/live';
import { changeBody, type Draft, draftOf, maskedSecrets } from './draft';
import { DriftTab } from './drift-tab';
import { TemplateEditor } from './editor';
import { PreviewPanel } from './preview-panel';
import { PushDialog } from './push-dialog';
import { plural } from './words';

// One template: its editor, a preview on chosen devices, and its drift, as three tabs (`?tab=`); Push and Delete
// as its policies allow.

export type TemplateTab = 'edit' | 'preview' | 'drift';
const tabs: [TemplateTab, string][] = [
  ['edit', 'Template'],
  ['preview', 'Preview'],
  ['drift', 'Drift'],
];

export function tabSearch(s: Record<string, unknown>): { tab?: TemplateTab } {
  return s.tab === 'preview' || s.tab === 'drift' ? { tab: s.tab } : {};
}

export function TemplatePage() {
  const { current } = useTenants();
  const { templateId } = useParams({ from: '/_app/templates/$templateId' });
  if (!current) return <NoOrganisation />;
  return (
    <RequirePermission permission="templates.read">
      <TemplateView key={`${current.id}:${templateId}`} tenantId={current.id} id={templateId} />
    </RequirePermission>
  );
}

const tabClass = cn(
  '-mb-px inline-flex h-9 items-center gap-1.5 border-b-2 border-transparent px-3 text-[13px] text-muted-foreground',
  'hover:text-foreground data-[current=true]:border-foreground data-[current=true]:font-medium data-[current=true]:text-foreground',
);

function TemplateView({ tenantId, id }: { tenantId: string; id: string }) {
  useFleetStream(tenantId);
  const q = useQuery(templateQuery(tenantId, id));
  const { tab = 'edit' } = useSearch({ from: '/_app/templates/$templateId' });
  const navigate = useNavigate();
  const [pushing, setPushing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const remove = useApiMutation(deleteTemplate, { success: (_r, v) => `${v.template.name} deleted` });
  const t = q.data;

  return (
    <div className="grid gap-1">
      <Link
        to="/templates"
        className="inline-flex w-fit items-center gap-1 text-[13px] text-muted-foreground hover:text-foreground"
      >
        <ChevronLeft className="size-4" aria-hidden />
        Templates
      </Link>
      {q.isPending ? (
        <Skeleton className="h-96 w-full" />
      ) : q.error || !t ? (
        <p role="alert" className="text-[13px] text-destructive">
          Could not load the template: {q.error?.message}
        </p>
      ) : (
        <>
          <PageHeader
            title={t.name}
            {...(t.description ? { description: t.description } : {})}
            actions={
              <>
                {t.policies.delete ? (
                  <Button variant="ghost" onClick={() => setDeleting(true)}>
                    <Trash2 aria-hidden /> Delete
                  </Button>
                ) : null}
                {t.policies.push ? (
                  <Button variant="primary" onClick={() => setPushing(true)}>
                    <Send aria-hidden /> Push…
                  </Button>
                ) : null}
              </>
            }
          />
          <p className="-mt-3 flex flex-wrap gap-2 pb-4 text-xs text-muted-foreground">
            <span>Revision {t.revision}</span>
            <span>·</span>
            <span>{t.assigned ? `pushed to ${plural(t.assigned, 'device')}` : 'not pushed yet'}</span>
            {t.drifted ? <Badge tone="warning">{t.drifted} drifted</Badge> : null}
          </p>
          <nav aria-label="Template sections" className="mb-4 flex gap-1 border-b">
            {tabs.map(([k, label]) => (
              <Link
                key={k}
                to="/templates/$templateId"
                params={{ templateId: id }}
                search={k === 'edit' ? {} : { tab: k }}
                className={tabClass}
                data-current={tab === k}
                aria-current={tab === k ? 'page' : undefined}
              >
                {label}
                {k === 'drift' && t.drifted ? (
                  <span className="rounded-full bg-warning/15 px-1.5 text-[11px] text-warning">{t.drifted}</span>
                ) : null}
              </Link>
            ))}
          </nav>
          {tab === 'preview' ? (
            <PreviewPanel tenantId={tenantId} template={t} />
          ) : tab === 'drift' ? (
            <DriftTab tenantId={tenantId} template={t} />
          ) : (
            <EditTab key={t.updated_at} tenantId={tenantId} template={t} />
          )}
          {pushing ? <PushDialog tenantId={tenantId} template={t} onClose={() => setPushing(false)} /> : null}
          <Confirm
            open={deleting}
            onOpenChange={setDeleting}
            title={`Delete ${t.name}?`}
            description="Rollouts that pushed it keep their record; its drift is no longer checked. This cannot be undone."
            confirm="Delete template"
            busy={remove.isPending}
            onConfirm={() =>
              remove.mutate(
                { tenantId, template: t },
                { onSuccess: () => navigate({ to: '/templates' }), onSettled: () => setDeleting(false) },
              )
            }
          />
        </>
      )}
    </div>
  );
}

/** The editor on the saved template; remounted (key) when the template changes, so it starts from the saved text. */
function EditTab({ tenantId, template }: { tenantId: string; template: Template }) {
  const [before] = useState<Draft>(() => draftOf(template));
  const [draft, setDraft] = useState<Draft>(before);
  const [problem, setProblem] = useState<string | undefined>();
  const update = useApiMutation(updateTemplate, { success: (x) => `${x.name} saved`, silentErrors: true });
  const change = changeBody(before, draft);
  return (
    <TemplateEditor
      tenantId={tenantId}
      draft={draft}
      onChange={(d) => {
        setProblem(undefined);
        setDraft(d);
      }}
      readOnly={!template.policies.update}
      saving={update.isPending}
      error={update.error}
      {...(problem ? { problem } : {})}
      dirty={Object.keys(change).length > 0}
      saveLabel="Save"
      onSave={() => {
        const masked = maskedSecrets(draft, change);
        if (masked.length)
          return setProblem(
            `Your role cannot read the hidden value of ${masked.join(', ')}: type it again or clear it before saving.`,
          );
        update.mutate({ tenantId, id: template.id, body: change });
      }}
    />
  );
}
