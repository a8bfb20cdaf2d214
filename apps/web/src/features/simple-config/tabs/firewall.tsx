import { CheckField, ChoiceField, fieldId, Section, useFieldError } from '../kit';
import { bool, defaultWan, defineTab, type EditorProps, interfaceOptions, objs, str, strings } from '../tab-def';

// Firewall: a few switches instead of rules. TOD keeps its own rules (marked as its own) for what the switches say;
// the router's other rules stay as they are.

type Firewall = {
  enabled: boolean;
  wan_interface: string;
  allowed_services: string[];
  block_ping: boolean;
  protect_lan: boolean;
};

const serviceLabel: Record<string, string> = {
  ssh: 'SSH',
  winbox: 'WinBox',
  api: 'API',
  'api-ssl': 'API over TLS',
  www: 'Web (HTTP)',
  'www-ssl': 'Web (HTTPS)',
  telnet: 'Telnet',
  ftp: 'FTP',
};

function FirewallEditor({ value, onChange, view }: EditorProps<Firewall>) {
  const set = <K extends keyof Firewall>(k: K, v: Firewall[K]) => onChange({ ...value, [k]: v });
  const servicesError = useFieldError('allowed_services');
  const others = Number(view.state.other_rules ?? 0);
  return (
    <div className="grid gap-6">
      <CheckField
        path="enabled"
        label="Protect the router from the Internet"
        hint="Off removes TOD's firewall rules; the router's other rules stay."
        checked={value.enabled}
        onChange={(v) => set('enabled', v)}
      />
      {value.enabled ? (
        <>
          <ChoiceField
            path="wan_interface"
            label="The Internet is on"
            className="max-w-xs"
            value={value.wan_interface}
            options={interfaceOptions(view, value.wan_interface, true)}
            onChange={(v) => set('wan_interface', v)}
          />
          <Section
            title="Reachable from the Internet"
            description="The router's own services that answer connections from outside. Everything else is dropped."
          >
            <fieldset
              className="grid gap-1.5 sm:grid-cols-2"
              aria-describedby={servicesError ? `${fieldId('allowed_services')}-error` : undefined}
            >
              <legend className="sr-only">Services reachable from the Internet</legend>
              {objs(view.options.services).map((s) => {
                const name = str(s.name);
                const on = value.allowed_services.includes(name);
                return (
                  <label key={name} className="flex items-center gap-2 text-[13px]" data-service={name}>
                    <input
                      type="checkbox"
                      checked={on}
                      onChange={(e) =>
                        set(
                          'allowed_services',
                          e.target.checked
                            ? [...value.allowed_services, name]
                            : value.allowed_services.filter((x) => x !== name),
                        )
                      }
                    />
                    <span>
                      {serviceLabel[name] ?? name}{' '}
                      <span className="text-xs text-muted-foreground">
                        port {String(s.port)}
                        {s.enabled === false ? ', service off' : ''}
                      </span>
                    </span>
                  </label>
                );
              })}
            </fieldset>
            {servicesError ? (
              <p role="alert" id={`${fieldId('allowed_services')}-error`} className="text-xs text-destructive">
                {servicesError}
              </p>
            ) : null}
          </Section>
          <Section title="More">
            <CheckField
              path="block_ping"
              label="Ignore ping from the Internet"
              checked={value.block_ping}
              onChange={(v) => set('block_ping', v)}
            />
            <CheckField
              path="protect_lan"
              label="Protect the local network"
              hint="New connections from the Internet reach the local network only through a port forward."
              checked={value.protect_lan}
              onChange={(v) => set('protect_lan', v)}
            />
          </Section>
        </>
      ) : null}
      {others > 0 ? (
        <p className="text-xs text-muted-foreground">
          The router has {others} other filter rule{others === 1 ? '' : 's'}: they stay as they are.
        </p>
      ) : null}
    </div>
  );
}

export const firewallTab = defineTab<Firewall>({
  tab: 'firewall',
  label: 'Firewall',
  description: 'What reaches the router and the local network from the Internet.',
  fromView: (v) => ({
    enabled: bool(v.form.enabled),
    wan_interface: str(v.form.wan_interface) || defaultWan(v),
    allowed_services: strings(v.form.allowed_services),
    block_ping: bool(v.form.block_ping),
    // Off on the router: switching it on starts from the recommended settings.
    protect_lan: bool(v.form.enabled) ? bool(v.form.protect_lan, true) : true,
  }),
  toBody: (d) => ({ ...d }),
  Editor: FirewallEditor,
  shown: [/^enabled$/, /^wan_interface$/, /^allowed_services(\.\d+)?$/, /^block_ping$/, /^protect_lan$/],
});
