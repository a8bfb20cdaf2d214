import { useQuery } from '@tanstack/react-query';
import { BellOff, Loader2 } from 'lucide-react';
import { useState } from 'react';
import { endSilence, silenceDevice, silencesQuery } from '@/api/alerts';
import { useCan } from '@/auth/session';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { Input } from '@/components/ui/input';
import { dateTime } from '@/lib/format';
import { useApiMutation } from '@/lib/mutation';

/** `YYYY-MM-DDTHH:mm` in local time: what <input type="datetime-local"> reads and writes. */
const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};
const hoursFromNow = (h: number) => localInput(new Date(Date.now() + h * 3_600_000));

/**
 * Whether the device's notifications are silenced, and (operators) silencing it until a time or ending that.
 * A silence holds notifications only: alerts still fire and show here.
 */
export function DeviceSilence(props: { tenantId: string; deviceId: string; deviceName: string }) {
  const canRespond = useCan('alerts.respond');
  const q = useQuery(silencesQuery(props.tenantId));
  const mine = (q.data ?? []).filter((s) => s.device_id === props.deviceId);
  // The one that ends last is the one that matters.
  const s = mine.reduce<(typeof mine)[number] | undefined>((a, b) => (!a || b.until > a.until ? b : a), undefined);
  const [open, setOpen] = useState(false);
  const end = useApiMutation(endSilence, { success: () => `Notifications for ${props.deviceName} are sent again` });
  if (q.isPending) return null;
  return (
    <div
      className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-[13px]"
      data-silence={s ? 'on' : 'off'}
    >
      {s ? (
        <p>
          <BellOff className="mr-1.5 inline size-4 align-[-3px] text-muted-foreground" aria-hidden />
          Notifications are silenced until <span className="font-medium">{dateTime(s.until)}</span>
          {s.created_by ? ` by ${s.created_by}` : ''}
          {s.note ? <span className="text-muted-foreground"> — “{s.note}”</span> : null}
        </p>
      ) : (
        <p className="text-muted-foreground">Notifications for this device are sent as its rules say.</p>
      )}
      {canRespond ? (
        s ? (
          <Button
            size="sm"
            disabled={end.isPending}
            onClick={() => {
              for (const x of mine) end.mutate({ tenantId: props.tenantId, id: x.id });
            }}
          >
            End silence
          </Button>
        ) : (
          <Button size="sm" onClick={() => setOpen(true)}>
            Silence this device until…
          </Button>
        )
      ) : null}
      {open ? <SilenceDialog {...props} onClose={() => setOpen(false)} /> : null}
    </div>
  );
}

function SilenceDialog(props: { tenantId: string; deviceId: string; deviceName: string; onClose: () => void }) {
  const [until, setUntil] = useState(() => hoursFromNow(1));
  const [note, setNote] = useState('');
  const silence = useApiMutation(silenceDevice, {
    success: () => `${props.deviceName} is silenced until ${dateTime(new Date(until).toISOString())}`,
    silentErrors: true,
  });
  const err = silence.error;
  const valid = until !== '' && !Number.isNaN(new Date(until).getTime());
  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title={`Silence ${props.deviceName}`}
        description="Its alerts still fire and show in TOD; no notification is sent until then."
      >
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!valid) return;
            silence.mutate(
              { tenantId: props.tenantId, deviceId: props.deviceId, until: new Date(until).toISOString(), note },
              { onSuccess: props.onClose },
            );
          }}
        >
          <Field id="silence-until" label="Until" error={err?.field('until')}>
            <Input
              id="silence-until"
              type="datetime-local"
              value={until}
              onChange={(e) => setUntil(e.target.value)}
              aria-invalid={err?.field('until') ? true : undefined}
            />
          </Field>
          <div className="flex gap-1.5">
            {[
              [1, '1 hour'],
              [4, '4 hours'],
              [24, '1 day'],
              [168, '1 week'],
            ].map(([h, label]) => (
              <Button key={label} size="sm" variant="ghost" onClick={() => setUntil(hoursFromNow(h as number))}>
                {label}
              </Button>
            ))}
          </div>
          <Field id="silence-note" label="Note (optional)" error={err?.field('note')}>
            <Input id="silence-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          </Field>
          {err && !err.field('until') && !err.field('note') ? (
            <p role="alert" className="text-[13px] text-destructive">
              {err.detail}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={!valid || silence.isPending}>
              {silence.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Silence
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
