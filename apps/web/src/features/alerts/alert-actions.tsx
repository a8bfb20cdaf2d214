import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { type Alert, acknowledgeAlert, resolveAlert } from '@/api/alerts';
import { Button } from '@/components/ui/button';
import { Dialog, DialogContent, DialogFooter } from '@/components/ui/dialog';
import { Field } from '@/components/ui/field';
import { inputClass } from '@/components/ui/input';
import { cn } from '@/lib/cn';
import { useApiMutation } from '@/lib/mutation';
import { alertSource } from './words';

/** Acknowledge and Resolve, as the alert's policies allow (the server decides: role and state). */
export function AlertActions({ tenantId, alert }: { tenantId: string; alert: Alert }) {
  const [acking, setAcking] = useState(false);
  const resolve = useApiMutation(resolveAlert, {
    success: () => `Resolved ${alert.rule_name} on ${alertSource(alert)}`,
  });
  if (!alert.policies.acknowledge && !alert.policies.resolve) return null;
  return (
    <div className="flex justify-end gap-1.5">
      {alert.policies.acknowledge ? (
        <Button size="sm" onClick={() => setAcking(true)}>
          Acknowledge
        </Button>
      ) : null}
      {alert.policies.resolve ? (
        <Button
          size="sm"
          variant="ghost"
          disabled={resolve.isPending}
          onClick={() => resolve.mutate({ tenantId, id: alert.id })}
        >
          Resolve
        </Button>
      ) : null}
      {acking ? <AcknowledgeDialog tenantId={tenantId} alert={alert} onClose={() => setAcking(false)} /> : null}
    </div>
  );
}

function AcknowledgeDialog(props: { tenantId: string; alert: Alert; onClose: () => void }) {
  const [note, setNote] = useState('');
  const ack = useApiMutation(acknowledgeAlert, {
    success: () => `Acknowledged ${props.alert.rule_name} on ${alertSource(props.alert)}`,
    silentErrors: true,
  });
  return (
    <Dialog open onOpenChange={(o) => (o ? null : props.onClose())}>
      <DialogContent
        title="Acknowledge alert"
        description={`${props.alert.rule_name} on ${alertSource(props.alert)}: notifications say someone is on it. It resolves on its own once the condition clears.`}
      >
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            ack.mutate({ tenantId: props.tenantId, id: props.alert.id, note }, { onSuccess: props.onClose });
          }}
        >
          <Field
            id="ack-note"
            label="Note (optional)"
            hint="What you are doing about it"
            error={ack.error?.field('note')}
          >
            <textarea
              id="ack-note"
              autoFocus
              rows={3}
              maxLength={1000}
              value={note}
              onChange={(e) => setNote(e.target.value)}
              className={cn(inputClass, 'h-auto py-1.5')}
            />
          </Field>
          {ack.error && !ack.error.field('note') ? (
            <p role="alert" className="text-[13px] text-destructive">
              {ack.error.detail}
            </p>
          ) : null}
          <DialogFooter>
            <Button onClick={props.onClose}>Cancel</Button>
            <Button type="submit" variant="primary" disabled={ack.isPending}>
              {ack.isPending ? <Loader2 className="animate-spin" aria-hidden /> : null}
              Acknowledge
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
