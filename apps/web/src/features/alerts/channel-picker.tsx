import { useQuery } from '@tanstack/react-query';
import { channelOptionsQuery } from '@/api/alerts';
import { useCan } from '@/auth/session';

const kindLabel: Record<string, string> = { email: 'Email', webhook: 'Webhook', slack: 'Slack', teams: 'Teams' };

/** The channels a rule notifies; none chosen means every enabled channel that takes the alert's severity. */
export function ChannelPicker(props: {
  tenantId: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
}) {
  const canRead = useCan('notifications.read');
  const q = useQuery({ ...channelOptionsQuery(props.tenantId), enabled: canRead });
  const channels = q.data ?? [];
  const toggle = (id: string, on: boolean) =>
    props.onChange(on ? [...props.value, id] : props.value.filter((x) => x !== id));
  return (
    <fieldset className="grid gap-1.5">
      <legend className="pb-1.5 text-[13px] leading-none font-medium">Notify</legend>
      {!canRead ? (
        <p className="text-xs text-muted-foreground">Your role cannot list the notification channels.</p>
      ) : channels.length === 0 && !q.isPending ? (
        <p className="text-xs text-muted-foreground">
          No notification channels yet: an admin adds them under Notifications.
        </p>
      ) : (
        <div className="grid max-h-32 gap-1 overflow-y-auto">
          {channels.map((c) => (
            <label key={c.id} className="flex items-center gap-2 text-[13px]">
              <input
                type="checkbox"
                checked={props.value.includes(c.id)}
                onChange={(e) => toggle(c.id, e.target.checked)}
              />
              {c.name}
              <span className="text-xs text-muted-foreground">
                {kindLabel[c.kind] ?? c.kind}
                {c.enabled ? '' : ', disabled'}
              </span>
            </label>
          ))}
        </div>
      )}
      {props.error ? (
        <p role="alert" className="text-xs text-destructive">
          {props.error}
        </p>
      ) : (
        <p className="text-xs text-muted-foreground">
          None chosen: every enabled channel that takes the alert’s severity.
        </p>
      )}
    </fieldset>
  );
}
