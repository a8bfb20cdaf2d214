import { CheckCircle2, Eye, Loader2, Send } from 'lucide-react';
import { useState } from 'react';
import { type PreviewDevice, previewTemplate, type Template } from '@/api/templates';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { useApiMutation } from '@/lib/mutation';
import { Semantic } from '../backups/diff-viewer';
import { RscLine } from '../backups/rsc-code';
import { CommandList } from '../changes/operation-panel';
import { DevicePicker } from './device-picker';
import { semanticOf } from './diff';
import { typedValues, type ValueTexts, variableDraft } from './draft';
import { PushDialog } from './push-dialog';
import { ValuesForm } from './values-form';
import { plural } from './words';

// Preview: the template rendered for chosen devices with the values typed here, each compared with the device's
// latest backup — the script, what would change (the semantic diff), the exact commands, and every problem naming
// its variable (and line). Nothing is sent to a router. From here, the same devices and values can be pushed.

export function PreviewPanel({ tenantId, template }: { tenantId: string; template: Template }) {
  const variables = template.variables.map(variableDraft);
  const [deviceIds, setDeviceIds] = useState<string[]>([]);
  const [values, setValues] = useState<ValueTexts>({});
  const [pushing, setPushing] = useState(false);
  const preview = useApiMutation(previewTemplate, { silentErrors: true });
  const run = () =>
    preview.mutate({
      tenantId,
      id: template.id,
      body: { device_ids: deviceIds, values: typedValues(variables, values) },
    });
  const results = preview.data?.devices ?? [];

  return (
    <div className="grid gap-5">
      <Card>
        <CardHeader
          title="Preview on devices"
          description="Renders the template for each device and compares it with the device's latest backup. Nothing is sent to the routers."
        />
        <form
          className="grid gap-5 p-4"
          onSubmit={(e) => {
            e.preventDefault();
            run();
          }}
        >
          <section className="grid gap-2" aria-labelledby="preview-devices">
            <h3 id="preview-devices" className="text-[13px] font-medium">
              Devices
            </h3>
            <DevicePicker tenantId={tenantId} value={deviceIds} onChange={setDeviceIds} />
          </section>
          <section className="grid gap-2" aria-labelledby="preview-values">
            <h3 id="preview-values" className="text-[13px] font-medium">
              Values
            </h3>
            <p className="text-xs text-muted-foreground">
              For every device chosen; an empty field takes the device's group value, then the default.
            </p>
            <ValuesForm id="preview-value" variables={variables} values={values} onChange={setValues} />
          </section>
          <div className="flex flex-wrap items-center justify-end gap-2">
            {preview.error ? (
              <p role="alert" className="text-[13px] text-destructive">
                Could not preview: {preview.error.detail}
              </p>
            ) : null}
            {template.policies.push && results.length > 0 ? (
              <Button onClick={() => setPushing(true)}>
                <Send aria-hidden /> Push to these devices…
              </Button>
            ) : null}
            <Button type="submit" variant="primary" disabled={deviceIds.length === 0 || preview.isPending}>
              {preview.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Eye aria-hidden />}
              Preview
            </Button>
          </div>
        </form>
      </Card>
      {results.map((d) => (
        <DevicePreview key={d.device_id} d={d} />
      ))}
      {pushing ? (
        <PushDialog
          tenantId={tenantId}
          template={template}
          initial={{ deviceIds: results.map((d) => d.device_id), values }}
          onClose={() => setPushing(false)}
        />
      ) : null}
    </div>
  );
}

function DevicePreview({ d }: { d: PreviewDevice }) {
  const semantic = semanticOf(d.diff);
  const state =
    d.errors.length > 0 ? (
      <Badge tone="danger">{plural(d.errors.length, 'problem')}</Badge>
    ) : d.in_sync ? (
      <Badge tone="success">
        <CheckCircle2 className="size-3" aria-hidden /> In sync
      </Badge>
    ) : semantic ? (
      <Badge tone="info">{plural(semantic.count, 'change')}</Badge>
    ) : null;
  return (
    <Card aria-label={`Preview for ${d.device_name}`} data-preview-device={d.device_name}>
      <CardHeader title={d.device_name} actions={state} />
      <div className="grid gap-4 p-4">
        {d.errors.length > 0 ? (
          <div role="alert">
            <ul className="grid gap-1 rounded-md border border-destructive/40 bg-destructive/10 p-3 text-[13px]">
              {d.errors.map((e, i) => (
                // Problems have no identity beyond their order.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <li key={i} data-preview-error={e.code} className="flex flex-wrap items-baseline gap-2">
                  {e.variable ? (
                    <code className="rounded bg-background px-1 font-mono text-xs" data-error-variable={e.variable}>
                      {e.variable}
                    </code>
                  ) : null}
                  {e.line ? <span className="text-xs text-muted-foreground">line {e.line}</span> : null}
                  <span>{e.message}</span>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {d.in_sync ? (
          <p className="text-[13px] text-muted-foreground">
            The device already has this configuration: a push would change nothing.
          </p>
        ) : null}
        {semantic && !d.in_sync ? (
          <section className="grid gap-2" aria-label={`What changes on ${d.device_name}`}>
            <Semantic diff={semantic.diff} count={semantic.count} />
          </section>
        ) : null}
        {d.commands.length > 0 ? (
          <section aria-label={`Commands for ${d.device_name}`}>
            <h3 className="text-[13px] font-medium">{plural(d.commands.length, 'command')} TOD will send</h3>
            <CommandList commands={d.commands} />
          </section>
        ) : null}
        {d.unsupported.length > 0 ? (
          <section className="rounded-md border border-warning/40 bg-warning/10 px-3 py-2 text-xs">
            <h3 className="font-medium">Left as they are ({d.unsupported.length})</h3>
            <p className="text-muted-foreground">These lines cannot be expressed as safe commands:</p>
            <ul className="mt-1 grid gap-0.5 font-mono">
              {d.unsupported.map((u) => (
                <li key={u}>{u}</li>
              ))}
            </ul>
          </section>
        ) : null}
        {d.rendered !== null ? (
          <details className="text-[13px]" data-rendered>
            <summary className="cursor-pointer font-medium">Rendered script</summary>
            <Script text={d.rendered} />
          </details>
        ) : null}
      </div>
    </Card>
  );
}

/** The rendered text with line numbers (errors of the output name its lines). */
function Script({ text }: { text: string }) {
  const lines = text.replace(/\n$/, '').split('\n');
  return (
    <ol className="mt-2 grid max-h-96 overflow-auto rounded-md border bg-surface py-2 font-mono text-[12px] leading-5">
      {lines.map((l, i) => (
        // Lines are positions.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <li key={i} className="grid grid-cols-[3rem_1fr]">
          <span className="select-none pr-3 text-right text-muted-foreground" aria-hidden>
            {i + 1}
          </span>
          <RscLine text={l} />
        </li>
      ))}
    </ol>
  );
}
