import { Loader2, RefreshCw } from 'lucide-react';
import { useEffect, useState } from 'react';
import {
  type Channel,
  type ChannelKind,
  type ChannelSaved,
  createChannel,
  updateChannel,
} from '@/api/notification-channels';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { type ChannelForm, channelChangeBody, initialForm, newChannelBody } from './channel-form';
import { SecretBox } from './secret-box';
import { TemplateHelp, useDefaultTemplate } from './template-help';
import { kindLabel, severityLabel, severityOrder } from './words';

const kinds = (Object.keys(kindLabel) as ChannelKind[]).map((k) => [k, kindLabel[k]] as const);
const urlHint: Record<Exclude<ChannelKind, 'email'>, string> = {
  webhook: 'TOD POSTs each notification as JSON, signed with a secret shown once after saving.',
  slack: 'An incoming webhook URL from your Slack app (https://hooks.slack.com/services/…).',
  teams: 'A Teams workflow or incoming webhook URL.',
};
/** Fields the server names in its errors; anything else shows under the form. */
const FIELDS = [
  'name',
  'severities',
  'template',
  'config.url',
  'config.to',
  'config.host',
  'config.port',
  'config.from',
];

/**
 * Create (channel null) or edit a notification channel. A new webhook answers its signing secret once: the dialog
 * then shows it to copy. Editing never shows a stored URL or password; typing one replaces it.
 */
export function ChannelDialog(props: {
  tenantId: string;
  open: boolean;
  channel: Channel | null;
  onOpenChange: (o: boolean) => void;
}) {
  const { channel } = props;
  const [form, setForm] = useState(() => initialForm(channel));
  const defaultTemplate = useDefaultTemplate(props.tenantId);
  const [saved, setSaved] = useState<(ChannelSaved & { secret: string }) | null>(null);
  // Reset when opened, or opened on another channel (not when the list refreshes underneath).
  const channelId = channel?.id;
  // biome-ignore lint/correctness/useExhaustiveDependencies: channel is read when its id or `open` changes
  useEffect(() => {
    if (props.open) {
      setForm(initialForm(channel));
      setSaved(null);
    }
  }, [props.open, channelId]);
  const create = useApiMutation(createChannel, { success: (c) => `${c.name} created`, silentErrors: true });
  const update = useApiMutation(updateChannel, { success: (c) => `${c.name} saved`, silentErrors: true });
  const rotate = useApiMutation(updateChannel, {
    success: (c) => `${c.name} has a new signing secret`,
    silentErrors: true,
  });
  const save = channel ? update : create;
  const close = (o: boolean) => {
    props.onOpenChange(o);
    if (!o) {
      create.reset();
      update.reset();
      rotate.reset();
    }
  };
  const showSecretOr = (r: ChannelSaved) => (r.secret ? setSaved({ ...r, secret: r.secret }) : close(false));
  const submit = () => {
    const t = props.tenantId;
    if (channel)
      update.mutate({ tenantId: t, id: channel.id, body: channelChangeBody(form) }, { onSuccess: () => close(false) });
    else create.mutate({ tenantId: t, body: newChannelBody(form) }, { onSuccess: showSecretOr });
  };
  const set = <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const err = save.error ?? rotate.error;
  const fieldError = (k: string) => err?.field(k);
  const general = err && !FIELDS.some((k) => err.field(k)) ? err.detail : '';

  if (saved)
    return (
      <Dialog open={props.open} onOpenChange={close}>
        <DialogContent
          title={`Signing secret of ${saved.name}`}
          description="Copy it into the receiver now: it is shown this once."
        >
          <SecretBox secret={saved.secret} />
          <DialogFooter>
            <Button variant="primary" onClick={() => close(false)}>
              Done
            </Button>
          </DialogFooter>
        </DialogContent>
      </Dialog>
    );

  const isEmail = form.kind === 'email';
  const cfg = channel?.config ?? {};
  return (
    <Dialog open={props.open} onOpenChange={close}>
      <DialogContent
        title={channel ? `Edit ${channel.name}` : 'New notification channel'}
        description="Where alerts are sent, and which of them."
        className="max-h-[80vh] max-w-lg overflow-y-auto top-[8vh]"
      >
        <form
          noValidate
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Field id="channel-name" label="Name" error={fieldError('name')}>
            <Input
              id="channel-name"
              autoFocus
              value={form.name}
              onChange={(e) => set('name', e.target.value)}
              placeholder="e.g. NOC on-call"
            />
          </Field>
          {channel ? (
            <p className="text-[13px]">
              <span className="text-muted-foreground">Type: </span>
              {kindLabel[channel.kind]}
            </p>
          ) : (
            <div className="grid gap-1.5">
              <span className="text-[13px] font-medium">Type</span>
              <Segmented label="Type" value={form.kind} options={kinds} onChange={(k) => set('kind', k)} />
            </div>
          )}

          {isEmail ? (
            <EmailFields form={form} set={set} fieldError={fieldError} hasPassword={cfg.has_password === true} />
          ) : (
            <Field
              id="channel-url"
              label="URL"
              hint={
                channel
                  ? `Set (${String(cfg.url_scheme ?? 'https')}://${String(cfg.url_host ?? '…')}/…), hidden. Type a new URL to replace it.`
                  : urlHint[form.kind as Exclude<ChannelKind, 'email'>]
              }
              error={fieldError('config.url')}
            >
              <Input
                id="channel-url"
                type="url"
                className="font-mono"
                autoComplete="off"
                spellCheck={false}
                placeholder={channel ? 'unchanged' : 'https://'}
                value={form.url}
                onChange={(e) => set('url', e.target.value)}
              />
            </Field>
          )}

          <fieldset className="grid gap-1.5">
            <legend className="pb-1.5 text-[13px] font-medium">Send alerts of severity</legend>
            <div className="flex flex-wrap gap-4">
              {severityOrder.map((s) => (
                <label key={s} className="flex items-center gap-2 text-[13px]">
                  <input
                    type="checkbox"
                    checked={form.severities.includes(s)}
                    onChange={(e) =>
                      set(
                        'severities',
                        e.target.checked ? [...form.severities, s] : form.severities.filter((x) => x !== s),
                      )
                    }
                  />
                  {severityLabel[s]}
                </label>
              ))}
            </div>
            {fieldError('severities') ? (
              <p role="alert" className="text-xs text-destructive">
                Choose at least one severity.
              </p>
            ) : null}
          </fieldset>

          <div className="grid gap-1.5">
            <Label htmlFor="channel-template">Message template</Label>
            <textarea
              id="channel-template"
              rows={3}
              value={form.template}
              spellCheck={false}
              placeholder={defaultTemplate}
              onChange={(e) => set('template', e.target.value)}
              aria-describedby="channel-template-hint"
              className="w-full rounded-md border border-input bg-background p-2.5 font-mono text-xs shadow-xs focus-visible:border-ring focus-visible:outline-none focus-visible:ring-3 focus-visible:ring-ring/25"
            />
            {fieldError('template') ? (
              <p role="alert" className="text-xs text-destructive">
                {fieldError('template')}
              </p>
            ) : (
              <p id="channel-template-hint" className="text-xs text-muted-foreground">
                Empty: the default message. A test notification starts with [TEST].
              </p>
            )}
            <TemplateHelp tenantId={props.tenantId} />
          </div>

          <label className="flex items-center gap-2 text-[13px]">
            <input type="checkbox" checked={form.enabled} onChange={(e) => set('enabled', e.target.checked)} />
            Enabled (a disabled channel sends nothing)
          </label>

          {channel?.kind === 'webhook' ? (
            <div className="flex items-center justify-between gap-3 rounded-md border bg-surface px-3 py-2 text-[13px]">
              <span className="text-muted-foreground">The signing secret is hidden.</span>
              <Button
                size="sm"
                disabled={rotate.isPending}
                onClick={() =>
                  rotate.mutate(
                    { tenantId: props.tenantId, id: channel.id, body: { rotate_secret: true } },
                    { onSuccess: showSecretOr },
                  )
                }
              >
                <RefreshCw aria-hidden /> Rotate secret
              </Button>
            </div>
          ) : null}

          {general ? (
            <p role="alert" className="text-xs text-destructive">
              {general}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={() => close(false)}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={save.isPending || !form.name.trim()}>
              {save.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              {channel ? 'Save' : 'Create channel'}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function EmailFields(props: {
  form: ChannelForm;
  set: <K extends keyof ChannelForm>(k: K, v: ChannelForm[K]) => void;
  fieldError: (k: string) => string | undefined;
  hasPassword: boolean;
}) {
  const { form, set, fieldError } = props;
  return (
    <>
      <Field
        id="channel-to"
        label="Recipients"
        hint="Email addresses, separated by commas."
        error={fieldError('config.to')}
      >
        <Input
          id="channel-to"
          value={form.to}
          onChange={(e) => set('to', e.target.value)}
          placeholder="noc@example.com"
        />
      </Field>
      <Segmented
        label="Mail server"
        value={form.ownSmtp ? 'own' : 'system'}
        options={[
          ['system', 'TOD’s mail server'],
          ['own', 'Another SMTP server'],
        ]}
        onChange={(v) => set('ownSmtp', v === 'own')}
      />
      {form.ownSmtp ? (
        <div className="grid gap-3">
          <div className="grid gap-3 grid-cols-[1fr_100px]">
            <Field id="channel-host" label="SMTP host" error={fieldError('config.host')}>
              <Input id="channel-host" value={form.host} onChange={(e) => set('host', e.target.value)} />
            </Field>
            <Field id="channel-port" label="Port" error={fieldError('config.port')}>
              <Input
                id="channel-port"
                inputMode="numeric"
                placeholder="587"
                value={form.port}
                onChange={(e) => set('port', e.target.value)}
              />
            </Field>
          </div>
          <Field id="channel-username" label="Username">
            <Input
              id="channel-username"
              autoComplete="off"
              value={form.username}
              onChange={(e) => set('username', e.target.value)}
            />
          </Field>
          <Field
            id="channel-password"
            label="Password"
            hint={props.hasPassword ? 'A password is set; blank keeps it.' : undefined}
          >
            <Input
              id="channel-password"
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => set('password', e.target.value)}
            />
          </Field>
          <Field id="channel-from" label="From" error={fieldError('config.from')}>
            <Input
              id="channel-from"
              placeholder="tod@example.com"
              value={form.from}
              onChange={(e) => set('from', e.target.value)}
            />
          </Field>
          <label className="flex items-center gap-2 text-[13px]">
            <input type="checkbox" checked={form.useTls} onChange={(e) => set('useTls', e.target.checked)} />
            Require TLS (implicit on port 465, otherwise STARTTLS)
          </label>
        </div>
      ) : (
        <p className="text-xs text-muted-foreground">
          Sent with the server’s SMTP settings (SMTP_* in TOD’s configuration).
        </p>
      )}
    </>
  );
}
