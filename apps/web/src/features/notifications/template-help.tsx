// The variables a message template may use: the server's TEMPLATE_VARIABLES
// (apps/server/src/features/alerts/notify/template.ts), copied here since the app does not import server code. A
// name not in this list is refused when the channel is saved.
const variables: readonly (readonly [string, string])[] = [
  ['tag', 'CRITICAL, WARNING or INFO while firing; RESOLVED; ACKNOWLEDGED'],
  ['status', 'firing, resolved or acknowledged'],
  ['event', 'alert.firing, alert.resolved or alert.acknowledged'],
  ['severity', 'info, warning or critical'],
  ['rule.name', 'the rule'],
  ['rule.id', 'the rule’s id'],
  ['device.name', 'the device'],
  ['device.host', 'the device’s address'],
  ['device.id', 'the device’s id'],
  ['organisation.name', 'the organisation'],
  ['organisation.id', 'the organisation’s id'],
  ['metric', 'the metric, e.g. cpu_load'],
  ['metric_label', 'the metric’s name, e.g. CPU load'],
  ['interface', 'the interface, for per-interface rules'],
  ['subject', 'metric name and interface, e.g. Interface receive (ether1)'],
  ['condition', 'what was seen, e.g. CPU load 95% > 90%'],
  ['operator', '> >= < <= == !='],
  ['value', 'the value with its unit, e.g. 950 Mbps'],
  ['threshold', 'the threshold with its unit'],
  ['value_raw', 'the value as a plain number'],
  ['threshold_raw', 'the threshold as a plain number'],
  ['unit', 'the unit, e.g. % or bps'],
  ['started_at', 'when it started (UTC)'],
  ['resolved_at', 'when it resolved (UTC)'],
  ['duration', 'how long it lasted, e.g. 2h 5m'],
  ['acknowledged_by', 'who acknowledged it'],
  ['note', 'the acknowledgement note'],
  ['url', 'the link to the alert in TOD'],
  ['alert_id', 'the alert’s id'],
];

/** The default message when a channel has no template of its own (the server's DEFAULT_TEMPLATES, firing). */
export const DEFAULT_TEMPLATE = '[{{tag}}] {{condition}} on {{device.name}} ({{organisation.name}})';

/** A collapsed list of the template variables, under the template field. */
export function TemplateHelp() {
  return (
    <details className="text-xs text-muted-foreground">
      <summary className="cursor-pointer select-none hover:text-foreground">Variables you can use</summary>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 rounded-md border bg-surface p-2">
        {variables.map(([name, what]) => (
          <div key={name} className="contents">
            <dt className="font-mono text-foreground">{`{{${name}}}`}</dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </details>
  );
}
