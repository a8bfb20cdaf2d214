import { Segmented } from '../../changes/segmented';
import { CheckField, ChoiceField, ListField, Section, TextField, useFieldError } from '../kit';
import { SecretField } from '../secret-field';
import { bool, defineTab, type EditorProps, interfaceOptions, obj, str, strings } from '../tab-def';

// Internet: the WAN interface and how it gets online — a DHCP client, a static address with its gateway, or PPPoE.
// Choosing one removes the others' items from that interface on the router; other interfaces are left alone.

type Mode = 'dhcp' | 'static' | 'pppoe';
type Internet = {
  interface: string;
  mode: Mode;
  /** Whether the device had a way online the form recognised (else the mode shown is only a suggestion). */
  detected: boolean;
  dhcp: { use_peer_dns: boolean; add_default_route: boolean };
  static: { address: string; gateway: string; dns_servers: string[] };
  pppoe: { user: string; password: string; service_name: string; use_peer_dns: boolean };
};

const modes = [
  ['dhcp', 'Automatic (DHCP)'],
  ['static', 'Static address'],
  ['pppoe', 'PPPoE'],
] as const;

function InternetEditor({ value, onChange, view }: EditorProps<Internet>) {
  const set = <K extends keyof Internet>(k: K, v: Internet[K]) => onChange({ ...value, [k]: v });
  const modeError = useFieldError('mode');
  const state = obj(view.state);
  const dhcpState = obj(state.dhcp);
  const pppoeState = obj(state.pppoe);
  return (
    <div className="grid gap-6">
      <Section title="Connection">
        <ChoiceField
          path="interface"
          label="WAN interface"
          className="max-w-xs"
          value={value.interface}
          options={interfaceOptions(view, value.interface)}
          onChange={(v) => set('interface', v)}
          hint="The port the Internet comes in on."
        />
        <div className="grid gap-1.5">
          <span className="text-[13px] font-medium">Connection type</span>
          <Segmented label="Connection type" value={value.mode} options={modes} onChange={(m) => set('mode', m)} />
          {!value.detected ? (
            <p className="text-xs text-muted-foreground">TOD found no Internet connection configured on this device.</p>
          ) : null}
          {modeError ? (
            <p role="alert" className="text-xs text-destructive">
              {modeError}
            </p>
          ) : null}
        </div>
      </Section>
      {value.mode === 'dhcp' ? (
        <Section
          title="Automatic (DHCP)"
          description={
            dhcpState.status
              ? `Now: ${str(dhcpState.status)}${dhcpState.address ? `, ${str(dhcpState.address)}` : ''}${dhcpState.gateway ? ` via ${str(dhcpState.gateway)}` : ''}.`
              : 'The provider gives the address, the gateway and DNS servers.'
          }
        >
          <CheckField
            path="dhcp.add_default_route"
            label="Use the provider's gateway as the default route"
            checked={value.dhcp.add_default_route}
            onChange={(v) => set('dhcp', { ...value.dhcp, add_default_route: v })}
          />
          <CheckField
            path="dhcp.use_peer_dns"
            label="Use the provider's DNS servers"
            checked={value.dhcp.use_peer_dns}
            onChange={(v) => set('dhcp', { ...value.dhcp, use_peer_dns: v })}
          />
        </Section>
      ) : null}
      {value.mode === 'static' ? (
        <Section title="Static address" description="The address, gateway and DNS servers your provider gave you.">
          <div className="grid max-w-xl gap-3 sm:grid-cols-2">
            <TextField
              path="static.address"
              label="Address with prefix length"
              placeholder="203.0.113.10/24"
              mono
              value={value.static.address}
              onChange={(v) => set('static', { ...value.static, address: v.trim() })}
            />
            <TextField
              path="static.gateway"
              label="Gateway"
              placeholder="203.0.113.1"
              mono
              value={value.static.gateway}
              onChange={(v) => set('static', { ...value.static, gateway: v.trim() })}
            />
          </div>
          <ListField
            path="static.dns_servers"
            legend="DNS servers"
            item="DNS server"
            values={value.static.dns_servers}
            onChange={(v) => set('static', { ...value.static, dns_servers: v })}
            max={8}
            placeholder="1.1.1.1"
          />
        </Section>
      ) : null}
      {value.mode === 'pppoe' ? (
        <Section
          title="PPPoE"
          description={
            pppoeState.name
              ? `${str(pppoeState.name)} is ${pppoeState.running === true ? 'connected' : 'not connected'}.`
              : 'The user name and password your provider gave you.'
          }
        >
          <div className="grid max-w-xl gap-3 sm:grid-cols-2">
            <TextField
              path="pppoe.user"
              label="User name"
              value={value.pppoe.user}
              onChange={(v) => set('pppoe', { ...value.pppoe, user: v })}
            />
            <SecretField
              path="pppoe.password"
              label="Password"
              value={value.pppoe.password}
              isSet={view.secrets['pppoe.password']?.set === true}
              onChange={(v) => set('pppoe', { ...value.pppoe, password: v })}
            />
            <TextField
              path="pppoe.service_name"
              label="Service name"
              hint="Usually empty."
              value={value.pppoe.service_name}
              onChange={(v) => set('pppoe', { ...value.pppoe, service_name: v })}
            />
          </div>
          <CheckField
            path="pppoe.use_peer_dns"
            label="Use the provider's DNS servers"
            checked={value.pppoe.use_peer_dns}
            onChange={(v) => set('pppoe', { ...value.pppoe, use_peer_dns: v })}
          />
        </Section>
      ) : null}
    </div>
  );
}

export const internetTab = defineTab<Internet>({
  tab: 'internet',
  label: 'Internet',
  description: 'How the router gets online. Changing the connection type removes the old one from that interface.',
  fromView: (v) => {
    const f = v.form;
    const dhcp = obj(f.dhcp);
    const st = obj(f.static);
    const pp = obj(f.pppoe);
    const mode = f.mode === 'static' || f.mode === 'pppoe' || f.mode === 'dhcp' ? f.mode : null;
    return {
      interface: str(f.interface),
      mode: mode ?? 'dhcp',
      detected: mode !== null,
      dhcp: { use_peer_dns: bool(dhcp.use_peer_dns, true), add_default_route: bool(dhcp.add_default_route, true) },
      static: { address: str(st.address), gateway: str(st.gateway), dns_servers: strings(st.dns_servers) },
      pppoe: {
        user: str(pp.user),
        password: '',
        service_name: str(pp.service_name),
        use_peer_dns: bool(pp.use_peer_dns, true),
      },
    };
  },
  toBody: (d) => {
    const base = { interface: d.interface, mode: d.mode };
    if (d.mode === 'dhcp') return { ...base, dhcp: d.dhcp };
    if (d.mode === 'static') return { ...base, static: d.static };
    const { password, ...pppoe } = d.pppoe;
    // Write-only: an empty password keeps the one the router has.
    return { ...base, pppoe: password === '' ? pppoe : { ...pppoe, password } };
  },
  Editor: InternetEditor,
  shown: [
    /^interface$/,
    /^mode$/,
    /^dhcp\.\w+$/,
    /^static\.(address|gateway)$/,
    /^static\.dns_servers(\.\d+)?$/,
    /^pppoe\.\w+$/,
  ],
});
