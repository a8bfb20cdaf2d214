import { useNavigate } from '@tanstack/react-router';
import { Loader2, Play } from 'lucide-react';
import { useState } from 'react';
import { type DenyId, runBulkCommand } from '@/api/bulk-commands';
import type { WindowScope } from '@/api/maintenance-windows';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Label } from '@/components/ui/label';
import { useApiMutation } from '@/lib/mutation';
import { Segmented } from '../changes/segmented';
import { ScopePicker } from '../maintenance/scope-picker';
import { RolloutOptionsFields } from '../rollouts/options-fields';
import { defaultOptions, type OptionsForm, rolloutOptions, targetsOf } from '../rollouts/options-form';
import { BodyEditor } from '../templates/body-editor';
import { type Denial, problemsOf } from './problems';
import { typesChanges } from './words';

// Typing commands and running them: the text, the targets, and how the rollout goes. The server checks the whole
// text first and names each problem's line (marked in the gutter); deny-listed commands it refuses are listed with
// why, and an admin may tick them to allow them for this run only, then run again.

export function RunForm({ tenantId }: { tenantId: string }) {
  const canAllow = useCan('bulk_commands.allow');
  const [text, setText] = useState('');
  const [scopes, setScopes] = useState<WindowScope[]>([]);
  const [custom, setCustom] = useState(false);
  const [form, setForm] = useState<OptionsForm>(defaultOptions);
  const [allow, setAllow] = useState<ReadonlySet<DenyId>>(new Set());
  // Denials stay listed while they are allowed, even once the server stops naming them.
  const [denials, setDenials] = useState<Denial[]>([]);
  const [checked, setChecked] = useState(false);
  const navigate = useNavigate();
  const run = useApiMutation(runBulkCommand, { silentErrors: true, success: () => 'Bulk command started' });

  const opts = rolloutOptions(form);
  const optionErrors = checked && custom && opts.errors ? opts.errors : {};
  const { problems } = problemsOf(run.error);
  const badLines = new Set(problems.flatMap((p) => (p.line ? [p.line] : [])));
  const changes = typesChanges(text);
  const missingText = checked && !text.trim();
  const missingTargets = checked && scopes.length === 0;

  const submit = () => {
    setChecked(true);
    if (!text.trim() || scopes.length === 0 || (custom && opts.errors)) return;
    run.mutate(
      {
        tenantId,
        body: {
          targets: targetsOf(scopes),
          commands: text,
          ...(allow.size ? { allow: [...allow] } : {}),
          ...(custom && !opts.errors ? { rollout: opts.options } : {}),
        },
      },
      {
        onSuccess: (r) => navigate({ to: '/bulk-commands/$rolloutId', params: { rolloutId: r.rollout_id } }),
        onError: (e) => {
          const found = problemsOf(e).denials;
          setDenials((prior) => [
            ...prior.filter((d) => allow.has(d.id) && !found.some((f) => f.id === d.id)),
            ...found.filter((d, i) => found.findIndex((f) => f.id === d.id) === i),
          ]);
        },
      },
    );
  };

  const toggle = (id: DenyId, on: boolean) =>
    setAllow((prior) => {
      const next = new Set(prior);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  return (
    <Card>
      <CardHeader
        title="Run commands"
        description="RouterOS CLI as typed in a terminal: several lines, quoting, [find …], print where …"
      />
      <form
        noValidate
        className="grid gap-5 p-4"
        aria-label="Run commands"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="grid gap-1.5">
          <Label htmlFor="bulk-commands-text">Commands</Label>
          <BodyEditor
            id="bulk-commands-text"
            value={text}
            onChange={setText}
            badLines={badLines}
            describedBy="bulk-commands-help"
          />
          <p id="bulk-commands-help" className="text-xs text-muted-foreground">
            One command per line. Reads (print, get, export, monitor … once, ping count=N) run directly on each device.
            Changes (add, set, remove, enable, disable, …) go through the safe-change engine as one operation per
            device, with a backup first and an armed revert. Dangerous commands (reset-configuration, reboot, /user, …)
            are refused unless an admin allows them for the run.
          </p>
          {missingText ? (
            <p role="alert" className="text-xs text-destructive">
              Type at least one command.
            </p>
          ) : null}
          {problems.length > 0 ? (
            <div role="alert" data-command-errors>
              <ul className="grid gap-1 text-xs text-destructive">
                {problems.map((p) => (
                  <li key={`${p.line} ${p.message}`} data-problem-line={p.line}>
                    {p.line ? <span className="font-medium">Line {p.line}: </span> : null}
                    {p.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : run.error ? (
            <p role="alert" className="text-xs text-destructive" data-run-error>
              {run.error.detail}
            </p>
          ) : null}
        </div>

        {denials.length > 0 ? <Denials denials={denials} allow={allow} canAllow={canAllow} onToggle={toggle} /> : null}

        <section className="grid gap-2" aria-labelledby="bulk-targets">
          <h3 id="bulk-targets" className="text-[13px] font-medium">
            Targets
          </h3>
          <ScopePicker tenantId={tenantId} value={scopes} onChange={setScopes} />
          {missingTargets ? (
            <p role="alert" className="text-xs text-destructive">
              Choose at least one device, group, tag or site.
            </p>
          ) : null}
        </section>

        <section className="grid gap-2" aria-labelledby="bulk-rollout-choice">
          <h3 id="bulk-rollout-choice" className="text-[13px] font-medium">
            How it runs
          </h3>
          <Segmented
            label="Rollout options"
            value={custom ? 'custom' : 'defaults'}
            options={[
              ['defaults', 'Defaults for these commands'],
              ['custom', 'Choose options'],
            ]}
            onChange={(v) => setCustom(v === 'custom')}
          />
          <p className="text-xs text-muted-foreground">
            Reads only: every device at once (25 at a time), never paused by failures. Changes and actions: a canary
            device first, then batches of 10, paused at the first failure; changes in Safe mode with a backup at the
            end. Either way the run is a rollout you can pause or cancel.
          </p>
          {custom ? (
            <>
              <RolloutOptionsFields
                id="bulk"
                value={form}
                onChange={setForm}
                errors={optionErrors}
                show={{ mode: changes, backupAfter: changes }}
              />
              {changes ? null : (
                <p className="text-xs text-muted-foreground" data-no-changes>
                  Mode and the backup at the end apply to changes (add, set, remove, …); none is typed, so they are
                  hidden.
                </p>
              )}
            </>
          ) : null}
        </section>

        <div className="flex justify-end">
          <Button type="submit" variant="primary" disabled={run.isPending}>
            {run.isPending ? <Loader2 className="animate-spin" aria-hidden /> : <Play aria-hidden />}
            {custom && form.later ? 'Schedule' : 'Run'}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function Denials(props: {
  denials: Denial[];
  allow: ReadonlySet<DenyId>;
  canAllow: boolean;
  onToggle: (id: DenyId, on: boolean) => void;
}) {
  return (
    <section
      className="grid gap-2 rounded-md border border-destructive/40 bg-destructive/5 p-3"
      aria-labelledby="bulk-denied"
      data-denied
    >
      <h3 id="bulk-denied" className="text-[13px] font-medium">
        Denied commands
      </h3>
      <p className="text-xs text-muted-foreground">
        {props.canAllow
          ? 'These are on the deny-list. Allow the ones this run needs, for this run only (the audit log records it), then run again.'
          : 'These are on the deny-list: only an admin can allow them for a run.'}
      </p>
      <ul className="grid gap-2">
        {props.denials.map((d) => (
          <li key={d.id} className="grid gap-0.5 text-[13px]" data-denied-entry={d.id}>
            {props.canAllow ? (
              <label className="flex items-center gap-2 font-medium">
                <input
                  type="checkbox"
                  checked={props.allow.has(d.id)}
                  onChange={(e) => props.onToggle(d.id, e.target.checked)}
                />
                Allow {d.id} for this run
              </label>
            ) : (
              <span className="font-medium">{d.id}</span>
            )}
            <span className="text-xs text-muted-foreground">
              {d.line ? `Line ${d.line}: ` : ''}
              {d.reason}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
