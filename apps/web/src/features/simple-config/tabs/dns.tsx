import { Plus } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { Input } from '@/components/ui/input';
import { CheckField, fieldId, invalid, ListField, ListItem, RemoveButton, Section, useFieldError } from '../kit';
import { bool, defineTab, type EditorProps, objs, str, strings } from '../tab-def';

// DNS: the servers the router asks, whether it answers the LAN's queries, and its plain static entries (a name to an
// address). Entries of other kinds (regexp, CNAME, forwarders) are counted and never touched.

type Entry = { name: string; address: string };
type Dns = { servers: string[]; allow_remote_requests: boolean; static: Entry[] };

function DnsEditor({ value, onChange, view }: EditorProps<Dns>) {
  const dynamic = strings(view.state.dynamic_servers);
  const others = Number(view.state.other_static ?? 0);
  return (
    <div className="grid gap-6">
      <Section
        title="Servers"
        description={
          dynamic.length > 0
            ? `Also learned from DHCP or PPPoE: ${dynamic.join(', ')}.`
            : 'The servers the router asks.'
        }
      >
        <ListField
          path="servers"
          legend="DNS servers"
          item="DNS server"
          values={value.servers}
          onChange={(servers) => onChange({ ...value, servers })}
          max={8}
          placeholder="1.1.1.1"
          hint="Up to 8, IPv4 or IPv6."
        />
        <CheckField
          path="allow_remote_requests"
          label="Answer DNS queries from the network"
          hint="The router becomes the DNS server of the devices behind it. Keep the firewall closing port 53 from the Internet."
          checked={value.allow_remote_requests}
          onChange={(allow_remote_requests) => onChange({ ...value, allow_remote_requests })}
        />
      </Section>
      <Section
        title="Static entries"
        description={
          others > 0
            ? `Names the router answers itself. ${others} other entr${others === 1 ? 'y' : 'ies'} (regexp, CNAME…) stay as they are.`
            : 'Names the router answers itself.'
        }
      >
        <StaticEntries entries={value.static} onChange={(s) => onChange({ ...value, static: s })} />
      </Section>
    </div>
  );
}

function StaticEntries({ entries, onChange }: { entries: Entry[]; onChange: (e: Entry[]) => void }) {
  const error = useFieldError('static');
  const set = (i: number, e: Partial<Entry>) => onChange(entries.map((x, j) => (j === i ? { ...x, ...e } : x)));
  return (
    <div className="grid gap-1.5" data-list="static">
      {entries.length === 0 ? <p className="text-xs text-muted-foreground">No static entries.</p> : null}
      {entries.map((e, i) => (
        <EntryRow
          // biome-ignore lint/suspicious/noArrayIndexKey: the position is the entry's identity while editing
          key={i}
          i={i}
          entry={e}
          onChange={(x) => set(i, x)}
          onRemove={() => onChange(entries.filter((_, j) => j !== i))}
        />
      ))}
      <div>
        <Button
          size="sm"
          disabled={entries.length >= 500}
          onClick={() => onChange([...entries, { name: '', address: '' }])}
        >
          <Plus aria-hidden /> Add entry
        </Button>
      </div>
      {error ? (
        <p role="alert" className="text-xs text-destructive" id={`${fieldId('static')}-error`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

function EntryRow(props: { i: number; entry: Entry; onChange: (e: Partial<Entry>) => void; onRemove: () => void }) {
  const { i } = props;
  const nameError = useFieldError(`static.${i}.name`);
  const addressError = useFieldError(`static.${i}.address`);
  return (
    <ListItem paths={[`static.${i}`, `static.${i}.name`, `static.${i}.address`]} className="max-w-xl">
      <Input
        id={fieldId(`static.${i}.name`)}
        aria-label={`Name of entry ${i + 1}`}
        placeholder="nas.lan"
        spellCheck={false}
        value={props.entry.name}
        {...invalid(fieldId(`static.${i}.name`), nameError)}
        onChange={(e) => props.onChange({ name: e.target.value.trim() })}
      />
      <Input
        id={fieldId(`static.${i}.address`)}
        aria-label={`Address of entry ${i + 1}`}
        placeholder="192.168.88.10"
        spellCheck={false}
        className="font-mono"
        value={props.entry.address}
        {...invalid(fieldId(`static.${i}.address`), addressError)}
        onChange={(e) => props.onChange({ address: e.target.value.trim() })}
      />
      <RemoveButton label={`Remove entry ${i + 1}`} onClick={props.onRemove} />
    </ListItem>
  );
}

export const dnsTab = defineTab<Dns>({
  tab: 'dns',
  label: 'DNS',
  description: 'The servers the router asks and the names it answers itself.',
  fromView: (v) => ({
    servers: strings(v.form.servers),
    allow_remote_requests: bool(v.form.allow_remote_requests),
    static: objs(v.form.static).map((e) => ({ name: str(e.name), address: str(e.address) })),
  }),
  toBody: (d) => ({ servers: d.servers, allow_remote_requests: d.allow_remote_requests, static: d.static }),
  Editor: DnsEditor,
  shown: [/^servers(\.\d+)?$/, /^allow_remote_requests$/, /^static(\.\d+(\.(name|address))?)?$/],
});
