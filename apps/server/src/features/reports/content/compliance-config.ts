import { type Command, type ExportDocument, parseExport } from '@tod/rsc';

// What the compliance report reads in a device's latest configuration export (parsed with @tod/rsc):
//  - `/ip service`: which management services are enabled with no `address=` allow-list. An export lists only what
//    differs from RouterOS's defaults, so the state starts from them: every service enabled except www-ssl (RouterOS
//    ships it disabled, with no certificate — as verbose exports of 5.x–7.x show), no address restriction. A service
//    the defaults do not name (reverse-proxy on late 7.x) counts as enabled only when the export says `disabled=no`.
//    An allow-list of 0.0.0.0/0 or ::/0 restricts nothing. RouterOS 5 has no api-ssl.
//  - `/ip firewall filter`: whether an enabled rule of the input chain drops or rejects.

export type ServiceState = { name: string; port: string; enabled: boolean; address: string; exposed: boolean };
export type ConfigFindings = { services: ServiceState[]; inputDrop: boolean; inputRules: number };

const DEFAULT_SERVICES: Array<[string, string, boolean]> = [
  ['telnet', '23', true],
  ['ftp', '21', true],
  ['www', '80', true],
  ['ssh', '22', true],
  ['www-ssl', '443', false],
  ['api', '8728', true],
  ['winbox', '8291', true],
  ['api-ssl', '8729', true],
];
const OPEN = new Set(['0.0.0.0/0', '::/0']);
const yes = (v: string | undefined) => v === 'yes' || v === 'true';

const arg = (c: Command, name: string) => c.args.find((a) => a.name === name);

/** The service names a command's selector names: `set telnet`, `set [ find name=telnet ]`, `disable ftp,www`. */
function namesOf(c: Command): string[] {
  const s = c.selector;
  if (s?.kind === 'name') return s.value.split(',').map((x) => x.trim());
  if (s?.kind === 'find') {
    const n = s.conditions.find((a) => a.name === 'name');
    return n?.value ? [n.value] : [];
  }
  return [];
}

function services(doc: ExportDocument): ServiceState[] {
  type Service = Omit<ServiceState, 'exposed'>;
  const v5 = /^[2-5]\./.test(doc.header.version ?? '');
  const state = new Map<string, Service>(
    DEFAULT_SERVICES.filter(([name]) => !(v5 && name === 'api-ssl')).map(([name, port, enabled]) => [
      name,
      { name, port, enabled, address: '' },
    ]),
  );
  for (const section of doc.sections) {
    if (section.path !== '/ip/service') continue;
    for (const c of section.commands)
      for (const name of namesOf(c)) {
        const s = state.get(name) ?? { name, port: '', enabled: false, address: '' };
        state.set(name, s);
        if (c.verb === 'enable') s.enabled = true;
        else if (c.verb === 'disable') s.enabled = false;
        else if (c.verb === 'set') {
          const disabled = arg(c, 'disabled');
          if (disabled?.value !== undefined) s.enabled = !yes(disabled.value);
          const address = arg(c, 'address');
          if (address) s.address = address.value ?? '';
          const port = arg(c, 'port');
          if (port?.value) s.port = port.value;
        }
      }
  }
  return [...state.values()].map((s) => {
    const list = s.address
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    return { ...s, exposed: s.enabled && (list.length === 0 || list.some((a) => OPEN.has(a))) };
  });
}

function firewall(doc: ExportDocument) {
  let inputRules = 0;
  let inputDrop = false;
  for (const section of doc.sections) {
    if (section.path !== '/ip/firewall/filter') continue;
    for (const c of section.commands) {
      if (c.verb !== 'add' || arg(c, 'chain')?.value !== 'input' || yes(arg(c, 'disabled')?.value)) continue;
      inputRules++;
      const action = arg(c, 'action')?.value;
      if (action === 'drop' || action === 'reject') inputDrop = true;
    }
  }
  return { inputDrop, inputRules };
}

/** Throws the parser's ParseError for text that is not a RouterOS export. */
export function configFindings(exportText: string): ConfigFindings {
  const doc = parseExport(exportText);
  return { services: services(doc), ...firewall(doc) };
}
