// Whether a firewall filter rule (its properties by name; no `action` means accept, as in exports) matches traffic to the router's management ports. What
// the rule's other matchers (source address, interface, address lists) select is unknown here, so they are assumed
// to include TOD: a rule is only cleared when its protocol, ports or connection states provably exclude it.

type Rule = Readonly<Record<string, string>>;

const BLOCKING = new Set(['drop', 'reject', 'tarpit']);
/** Connection states a management session never starts in. */
const HARMLESS_STATES = new Set(['invalid', 'untracked', 'related']);

/** In the input chain, or in a chain the command does not name. */
export const isInput = (r: Rule): boolean => r.chain === undefined || r.chain === 'input';

/** `8728`, `8000-9000`, `22,80,443`, `!22`: whether any of `ports` is in it (unknown words count as a match). */
export function portsCover(spec: string, ports: readonly number[]): boolean {
  const negated = spec.startsWith('!');
  const parts = (negated ? spec.slice(1) : spec).split(',').map((p) => p.trim());
  const inList = (port: number): boolean =>
    parts.some((p) => {
      const m = /^(\d+)(?:-(\d+))?$/.exec(p);
      if (!m) return true;
      const lo = Number(m[1]);
      return port >= lo && port <= Number(m[2] ?? lo);
    });
  return ports.some((port) => inList(port) !== negated);
}

/** Whether the rule matches TCP traffic to at least one of `ports` (management services all use TCP). */
export function coversManagement(r: Rule, ports: readonly number[]): boolean {
  const proto = r.protocol;
  if (proto !== undefined && proto !== '') {
    const negated = proto.startsWith('!');
    const tcp = ['tcp', '6'].includes(negated ? proto.slice(1) : proto);
    if (tcp === negated) return false;
  }
  const spec = r['dst-port'] || r.port;
  return !spec || portsCover(spec, ports);
}

/** An enabled input rule that drops, rejects or tarpits new or established management connections. */
export function blocksManagement(r: Rule, ports: readonly number[]): boolean {
  if (!isInput(r) || r.disabled === 'yes' || !BLOCKING.has(r.action ?? 'accept')) return false;
  const states = r['connection-state'];
  if (states && !states.startsWith('!') && states.split(',').every((x) => HARMLESS_STATES.has(x.trim()))) return false;
  return coversManagement(r, ports);
}

/** An enabled input rule that accepts management connections. */
export function acceptsManagement(r: Rule, ports: readonly number[]): boolean {
  return isInput(r) && r.disabled !== 'yes' && (r.action ?? 'accept') === 'accept' && coversManagement(r, ports);
}
