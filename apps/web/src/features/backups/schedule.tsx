import { useQuery } from '@tanstack/react-query';
import { CalendarClock, Loader2, Pencil } from 'lucide-react';
import { useState } from 'react';
import {
  deviceScheduleQuery,
  orgScheduleQuery,
  type Schedule,
  type ScheduleChange,
  setDeviceSchedule,
  setOrgSchedule,
} from '@/api/config-backups';
import type { ApiError } from '@/api/errors';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Card, CardHeader } from '@/components/ui/card';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { Skeleton } from '@/components/ui/skeleton';
import { ago, dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';
import { cronText, scheduleSource } from './words';

// When backups run: a cron expression in a time zone. The organisation has a default (TOD's own until set); a
// device follows it unless it has its own.

/** The device's effective schedule, where it comes from, and (for those who may) its editor. */
export function DeviceSchedule(props: { tenantId: string; deviceId: string; canEdit: boolean }) {
  const q = useQuery(deviceScheduleQuery(props.tenantId, props.deviceId));
  const save = useApiMutation(setDeviceSchedule, { success: () => 'Backup schedule saved', silentErrors: true });
  return (
    <ScheduleCard
      title="Schedule"
      description="When this device is backed up on its own."
      schedule={q.data}
      canEdit={props.canEdit}
      inherit
      saving={save.isPending}
      error={save.error}
      onReset={save.reset}
      onSave={(body, done) =>
        save.mutate({ tenantId: props.tenantId, deviceId: props.deviceId, body }, { onSuccess: done })
      }
    />
  );
}

/** The organisation's default schedule: every device without its own follows it. */
export function OrgSchedule({ tenantId }: { tenantId: string }) {
  const q = useQuery(orgScheduleQuery(tenantId));
  const canEdit = useCan('config.schedule');
  const save = useApiMutation(setOrgSchedule, { success: () => 'Organisation schedule saved', silentErrors: true });
  return (
    <ScheduleCard
      title="Organisation schedule"
      description="Devices without a schedule of their own are backed up at this time (each a little apart)."
      schedule={q.data}
      canEdit={canEdit}
      saving={save.isPending}
      error={save.error}
      onReset={save.reset}
      onSave={(body, done) => {
        if ('inherit' in body) return;
        save.mutate({ tenantId, body }, { onSuccess: done });
      }}
    />
  );
}

type Saved = ScheduleChange | { inherit: true };

function ScheduleCard(props: {
  title: string;
  description: string;
  schedule: Schedule | undefined;
  canEdit: boolean;
  /** Offer "use the organisation's schedule" (a device's editor). */
  inherit?: boolean;
  saving: boolean;
  error: ApiError | null;
  onReset: () => void;
  onSave: (body: Saved, done: () => void) => void;
}) {
  const [editing, setEditing] = useState(false);
  const s = props.schedule;
  const close = () => {
    setEditing(false);
    props.onReset();
  };
  return (
    <Card data-schedule={s?.source}>
      <CardHeader
        title={props.title}
        description={props.description}
        actions={
          props.canEdit && s && !editing ? (
            <Button size="sm" onClick={() => setEditing(true)}>
              <Pencil aria-hidden /> Edit
            </Button>
          ) : null
        }
      />
      {!s ? (
        <Skeleton className="m-4 h-12" />
      ) : editing ? (
        <ScheduleForm
          schedule={s}
          inherit={props.inherit}
          saving={props.saving}
          error={props.error}
          onCancel={close}
          onSave={(body) => props.onSave(body, close)}
        />
      ) : (
        <div className="grid gap-1 p-4 text-[13px]">
          <p className="flex items-center gap-2 font-medium" data-schedule-summary>
            <CalendarClock className="size-4 text-muted-foreground" aria-hidden />
            {s.enabled ? `${cronText(s.cron)} (${s.timezone})` : 'Scheduled backups are off'}
          </p>
          <p className="text-xs text-muted-foreground">
            {s.enabled ? <code className="font-mono">{s.cron}</code> : null}
            {s.enabled ? ' · ' : null}
            {scheduleSource[s.source]}
            {s.enabled && s.next_run_at ? (
              <>
                {' · next run '}
                <time dateTime={s.next_run_at} title={dateTime(s.next_run_at)}>
                  {ago(s.next_run_at)}
                </time>
              </>
            ) : null}
          </p>
        </div>
      )}
    </Card>
  );
}

const zones = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();

function ScheduleForm(props: {
  schedule: Schedule;
  inherit?: boolean;
  saving: boolean;
  error: ApiError | null;
  onCancel: () => void;
  onSave: (body: Saved) => void;
}) {
  const s = props.schedule;
  const [own, setOwn] = useState(!props.inherit || s.source === 'device');
  const [cron, setCron] = useState(s.cron);
  const [timezone, setTimezone] = useState(s.timezone);
  const [enabled, setEnabled] = useState(s.enabled);
  const err = props.error;
  const general = err && !err.field('cron') && !err.field('timezone') ? err.detail : undefined;
  return (
    <form
      noValidate
      className="grid gap-3 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(own ? { cron: cron.trim(), timezone: timezone.trim(), enabled } : { inherit: true });
      }}
    >
      {props.inherit ? (
        <fieldset className="grid gap-1.5 text-[13px]">
          <legend className="sr-only">Which schedule</legend>
          <label className="flex items-center gap-2">
            <input type="radio" name="schedule-kind" checked={!own} onChange={() => setOwn(false)} />
            Use the organisation’s schedule
          </label>
          <label className="flex items-center gap-2">
            <input type="radio" name="schedule-kind" checked={own} onChange={() => setOwn(true)} />A schedule for this
            device
          </label>
        </fieldset>
      ) : null}
      {own ? (
        <>
          <Field
            id="schedule-cron"
            label="When (cron)"
            hint="minute hour day month weekday: “0 2 * * *” is daily at 02:00"
            error={err?.field('cron') ?? (err?.code === 'invalid_schedule' ? err.detail : undefined)}
          >
            <Input
              id="schedule-cron"
              className="font-mono"
              value={cron}
              onChange={(e) => setCron(e.target.value)}
              aria-invalid={err?.code === 'invalid_schedule' || undefined}
            />
          </Field>
          <Field id="schedule-tz" label="Time zone" error={err?.field('timezone')}>
            <Input
              id="schedule-tz"
              list="schedule-zones"
              value={timezone}
              onChange={(e) => setTimezone(e.target.value)}
            />
            <datalist id="schedule-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </Field>
          <label className="flex items-center gap-2 text-[13px]">
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
            Back up on this schedule
          </label>
        </>
      ) : null}
      {general && err?.code !== 'invalid_schedule' ? (
        <p role="alert" className="text-xs text-destructive">
          {general}
        </p>
      ) : null}
      <div className="flex justify-end gap-2">
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button type="submit" variant="primary" disabled={props.saving}>
          {props.saving ? <Loader2 className="animate-spin" aria-hidden /> : null}
          Save schedule
        </Button>
      </div>
    </form>
  );
}
