import { Plus } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { Select } from '@/components/ui/select';
import { ChoiceField, fieldId, invalid, RemoveButton, Section, useFieldError } from '../kit';
import { bool, defaultWan, defineTab, type EditorProps, interfaceOptions, objs, str } from '../tab-def';

// Port forwarding: TOD's forwards (dst-nat rules it marks as its own) as one list — a rule left out is removed on
// the router. Other dst-nat rules are shown, read-only, and never touched.

type Rule = {
  name: string;
  protocol: string;
  external_port: string;
  internal_address: string;
  internal_port: string;
  enabled: boolean;
};
type Forwarding = { wan_interface: string; rules: Rule[] };

const newRule = (): Rule => ({
  name: '',
  protocol: 'tcp',
  external_port: '',
  internal_address: '',
  internal_port: '',
  enabled: true,
});

function RuleRow(props: { i: number; rule: Rule; onChange: (r: Partial<Rule>) => void; onRemove: () => void }) {
  const { i, rule } = props;
  const at = (k: keyof Rule) => `rules.${i}.${k}`;
  const errors = {
    name: useFieldError(at('name')),
    protocol: useFieldError(at('protocol')),
    external_port: useFieldError(at('external_port')),
    internal_address: useFieldError(at('internal_address')),
    internal_port: useFieldError(at('internal_port')),
  };
  const n = i + 1;
  const text = (k: 'name' | 'external_port' | 'internal_address' | 'internal_port', label: string, ph: string) => (
    <td className="px-1 py-1.5">
      <Input
        id={fieldId(at(k))}
        aria-label={`${label} of rule ${n}`}
        placeholder={ph}
        spellCheck={false}
        className={k === 'name' ? '' : 'font-mono'}
        value={rule[k]}
        {...invalid(fieldId(at(k)), errors[k])}
        onChange={(e) => props.onChange({ [k]: k === 'name' ? e.target.value : e.target.value.trim() })}
      />
    </td>
  );
  const messages = Object.entries(errors).filter(([, m]) => m);
  return (
    <>
      <tr data-rule={n}>
        <td className="px-1 py-1.5">
          <input
            type="checkbox"
            aria-label={`Rule ${n} on`}
            checked={rule.enabled}
            onChange={(e) => props.onChange({ enabled: e.target.checked })}
          />
        </td>
        {text('name', 'Name', 'web server')}
        <td className="w-24 px-1 py-1.5">
          <Select
            aria-label={`Protocol of rule ${n}`}
            value={rule.protocol}
            options={[
              { value: 'tcp', label: 'TCP' },
              { value: 'udp', label: 'UDP' },
            ]}
            onValueChange={(protocol) => props.onChange({ protocol })}
          />
        </td>
        {text('external_port', 'Outside port', '8080')}
        {text('internal_address', 'Inside address', '192.168.88.10')}
        {text('internal_port', 'Inside port', 'same')}
        <td className="px-1 py-1.5">
          <RemoveButton label={`Remove rule ${n}`} onClick={props.onRemove} />
        </td>
      </tr>
      {messages.length > 0 ? (
        <tr>
          <td />
          <td colSpan={6} className="px-1 pb-1.5">
            {messages.map(([k, m]) => (
              <p key={k} id={`${fieldId(at(k as keyof Rule))}-error`} role="alert" className="text-xs text-destructive">
                {k.replaceAll('_', ' ')}: {m}
              </p>
            ))}
          </td>
        </tr>
      ) : null}
    </>
  );
}

function ForwardingEditor({ value, onChange, view }: EditorProps<Forwarding>) {
  const listError = useFieldError('rules');
  const set = (i: number, r: Partial<Rule>) =>
    onChange({ ...value, rules: value.rules.map((x, j) => (j === i ? { ...x, ...r } : x)) });
  const others = objs(view.state.other_rules);
  return (
    <div className="grid gap-6">
      <ChoiceField
        path="wan_interface"
        label="Traffic arrives on"
        className="max-w-xs"
        value={value.wan_interface}
        options={interfaceOptions(view, value.wan_interface, true)}
        onChange={(wan_interface) => onChange({ ...value, wan_interface })}
        hint="The WAN interface, or an interface list such as WAN."
      />
      <Section title="Forwards" description="Connections to an outside port go to a device on the local network.">
        {value.rules.length === 0 ? (
          <p className="text-xs text-muted-foreground">
            No forwards: nothing on the local network is reachable from outside.
          </p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[640px] text-left text-[13px]">
              <thead className="text-xs text-muted-foreground">
                <tr>
                  <th className="px-1 font-medium">On</th>
                  <th className="px-1 font-medium">Name</th>
                  <th className="px-1 font-medium">Protocol</th>
                  <th className="px-1 font-medium">Outside port</th>
                  <th className="px-1 font-medium">Inside address</th>
                  <th className="px-1 font-medium">Inside port</th>
                  <th className="px-1">
                    <span className="sr-only">Remove</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {value.rules.map((r, i) => (
                  <RuleRow
                    // biome-ignore lint/suspicious/noArrayIndexKey: the position is the rule's identity while editing
                    key={i}
                    i={i}
                    rule={r}
                    onChange={(x) => set(i, x)}
                    onRemove={() => onChange({ ...value, rules: value.rules.filter((_, j) => j !== i) })}
                  />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <div>
          <Button
            size="sm"
            disabled={value.rules.length >= 200}
            onClick={() => onChange({ ...value, rules: [...value.rules, newRule()] })}
          >
            <Plus aria-hidden /> Add forward
          </Button>
        </div>
        {listError ? (
          <p role="alert" className="text-xs text-destructive" id={`${fieldId('rules')}-error`}>
            {listError}
          </p>
        ) : null}
      </Section>
      {others.length > 0 ? (
        <Section title="Other forwards on the router" description="Not made here: shown for reference, never changed.">
          <ul className="grid gap-1 font-mono text-xs text-muted-foreground" aria-label="Other forwards">
            {others.map((o, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: read-only rows in the router's order
              <li key={i}>
                {[
                  o.comment ? `"${str(o.comment)}"` : null,
                  o.in_interface ? `in ${str(o.in_interface)}` : null,
                  o.protocol ? str(o.protocol) : null,
                  o.dst_port ? `port ${str(o.dst_port)}` : null,
                  o.to_addresses ? `→ ${str(o.to_addresses)}${o.to_ports ? `:${str(o.to_ports)}` : ''}` : null,
                  o.enabled === false ? '(disabled)' : null,
                ]
                  .filter(Boolean)
                  .join(' ')}
              </li>
            ))}
          </ul>
        </Section>
      ) : null}
    </div>
  );
}

export const portForwardingTab = defineTab<Forwarding>({
  tab: 'port-forwarding',
  label: 'Port forwarding',
  description: 'Reach a device on the local network from outside. A forward removed here is removed on the router.',
  fromView: (v) => ({
    wan_interface: str(v.form.wan_interface) || defaultWan(v),
    rules: objs(v.form.rules).map((r) => ({
      name: str(r.name),
      protocol: str(r.protocol, 'tcp'),
      external_port: str(r.external_port),
      internal_address: str(r.internal_address),
      internal_port: str(r.internal_port) === str(r.external_port) ? '' : str(r.internal_port),
      enabled: bool(r.enabled, true),
    })),
  }),
  toBody: (d) => ({
    wan_interface: d.wan_interface,
    rules: d.rules.map(({ internal_port, ...r }) => (internal_port === '' ? r : { ...r, internal_port })),
  }),
  Editor: ForwardingEditor,
  shown: [/^wan_interface$/, /^rules$/, /^rules\.\d+\.(name|protocol|external_port|internal_address|internal_port)$/],
});
