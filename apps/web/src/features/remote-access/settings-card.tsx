import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError } from '@/api/errors';
import { type RemoteSettings, remoteSettingsQuery, saveRemoteSettings } from '@/api/remote-access';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { useApiMutation } from '@/lib/mutation';
import { duration } from '../fleet/format';

// The organisation's limits on remote sessions (every device's): shown to whoever may connect, edited by admins.
// New sessions take them; open ones keep the limits they started with.

export function RemoteSettingsCard({ tenantId }: { tenantId: string }) {
  const q = useQuery(remoteSettingsQuery(tenantId));
  const canEdit = useCan('remote.settings.write');
  const [editing, setEditing] = useState(false);
  const s = q.data;
  if (!s) return null;
  return (
    <Card aria-label="Remote access settings" data-remote-settings>
      <CardHeader
        title="Remote access settings"
        description="For every device of this organisation. New sessions take them."
        actions={
          canEdit && !editing ? (
            <Button size="sm" onClick={() => setEditing(true)}>
              Edit
            </Button>
          ) : null
        }
      />
      {editing ? (
        <SettingsForm tenantId={tenantId} s={s} onDone={() => setEditing(false)} />
      ) : (
        <p className="p-4 pt-0 text-[13px]">
          Idle timeout {duration(s.idle_timeout_seconds)} · longest session {duration(s.max_lifetime_seconds)} ·
          transcripts {s.record_transcripts ? 'recorded (admins read them)' : 'not recorded'}
        </p>
      )}
    </Card>
  );
}

function SettingsForm({ tenantId, s, onDone }: { tenantId: string; s: RemoteSettings; onDone: () => void }) {
  const [idle, setIdle] = useState(String(s.idle_timeout_seconds / 60));
  const [life, setLife] = useState(String(s.max_lifetime_seconds / 3600));
  const [record, setRecord] = useState(s.record_transcripts);
  const save = useApiMutation(saveRemoteSettings, {
    success: () => 'Remote access settings saved',
    silentErrors: true,
  });
  const err = save.error instanceof ApiError ? save.error : null;
  const fieldError = (name: string) => err?.field(name);
  return (
    <form
      className="grid gap-3 p-4 pt-0 sm:grid-cols-3"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          {
            tenantId,
            body: {
              idle_timeout_seconds: Math.round(Number(idle) * 60),
              max_lifetime_seconds: Math.round(Number(life) * 3600),
              record_transcripts: record,
            },
          },
          { onSuccess: onDone },
        );
      }}
    >
      <Field id="remote-idle" label="Idle timeout (minutes)" error={fieldError('idle_timeout_seconds')}>
        <Input id="remote-idle" inputMode="decimal" value={idle} onChange={(e) => setIdle(e.target.value)} />
      </Field>
      <Field id="remote-life" label="Longest session (hours)" error={fieldError('max_lifetime_seconds')}>
        <Input id="remote-life" inputMode="decimal" value={life} onChange={(e) => setLife(e.target.value)} />
      </Field>
      <label className="flex items-center gap-2 self-end pb-2 text-[13px]">
        <input type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} />
        Record terminal transcripts
      </label>
      {err && err.fieldErrors.length === 0 ? (
        <p className="text-xs text-destructive sm:col-span-3" role="alert">
          {err.detail}
        </p>
      ) : null}
      <div className="flex gap-2 sm:col-span-3">
        <Button type="submit" variant="primary" disabled={save.isPending}>
          Save
        </Button>
        <Button type="button" variant="ghost" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
