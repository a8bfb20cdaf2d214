import net from 'node:net';
import { z } from 'zod';
import { routerosUsername } from '../credential-profiles/credential-profiles.schema.js';
import { canonicalTimezone } from '../maintenance-windows/occurrences.js';
import { inSubnet, interfaceAddress, isHostAddress, isInterfaceAddress, toInt } from './ipv4.js';

// The seven forms, as POST takes them (strict: an unknown field is a 422 naming it). What the device has to agree
// to (the interface exists, WPA3 on a radio that can do it) is checked when the form is planned against it.

export const tabs = ['internet', 'lan', 'wifi', 'port-forwarding', 'firewall', 'dns', 'system'] as const;
export type Tab = (typeof tabs)[number];

const ifName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[^\s,"'=]+$/, 'an interface name');
const ipv4 = z.string().refine((s) => net.isIPv4(s), 'an IPv4 address such as 192.168.88.1');
const ip = z.string().refine((s) => net.isIP(s) !== 0, 'an IP address');
const withPrefix = z
  .string()
  .refine(isInterfaceAddress, 'an IPv4 address with its prefix length, such as 192.168.88.1/24');
const hostname = z
  .string()
  .max(253)
  .regex(
    /^(?=.{1,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?)*$/,
    'a host name',
  );
/** Printable ASCII without line breaks (what RouterOS keeps as a plain value). */
const printable = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[\x20-\x7e]*$/, 'printable ASCII characters');
/** Passwords are write-only: GET never returns them; absent on POST keeps the one the device has. */
const secret = (min: number, max: number) => printable(max).min(min);
const portOrRange = z
  .string()
  .regex(/^\d{1,5}(-\d{1,5})?$/, 'a port (8080) or a range (8000-8010)')
  .refine((s) => s.split('-').every((p) => Number(p) >= 1 && Number(p) <= 65535), 'ports are 1 to 65535')
  .refine((s) => {
    const [a, b] = s.split('-').map(Number);
    return b === undefined || (a as number) <= b;
  }, 'a range goes from low to high');
const unique = <T>(items: T[], key: (t: T) => string) => new Set(items.map(key)).size === items.length;

export const internetForm = z
  .strictObject({
    interface: ifName.describe('the WAN interface (ether1)'),
    mode: z.enum(['dhcp', 'static', 'pppoe']),
    dhcp: z
      .strictObject({ use_peer_dns: z.boolean().default(true), add_default_route: z.boolean().default(true) })
      .optional(),
    static: z
      .strictObject({
        address: withPrefix,
        gateway: ipv4,
        dns_servers: z.array(ip).max(8).optional().describe('absent: the DNS servers stay as they are'),
      })
      .optional(),
    pppoe: z
      .strictObject({
        user: printable(64).min(1),
        password: secret(1, 64).optional().describe('write-only; absent keeps the one the device has'),
        service_name: printable(64).default(''),
        use_peer_dns: z.boolean().default(true),
      })
      .optional(),
  })
  .superRefine((f, ctx) => {
    if (f.mode === 'static' && !f.static) ctx.addIssue({ code: 'custom', path: ['static'], message: 'required' });
    if (f.mode === 'pppoe' && !f.pppoe) ctx.addIssue({ code: 'custom', path: ['pppoe'], message: 'required' });
    // An address that failed its own check is named there already (refinements run on invalid data too).
    if (f.static && isInterfaceAddress(f.static.address)) {
      const a = interfaceAddress(f.static.address);
      if (!inSubnet(f.static.gateway, a) || f.static.gateway === a.ip)
        ctx.addIssue({ code: 'custom', path: ['static', 'gateway'], message: `another address in ${a.subnet}` });
    }
  });

export const lanForm = z
  .strictObject({
    interface: ifName.describe('the LAN interface or bridge'),
    address: withPrefix.describe("the router's address on it"),
    dhcp_server: z
      .strictObject({
        enabled: z.boolean(),
        pool_start: ipv4.optional(),
        pool_end: ipv4.optional(),
        dns_servers: z.array(ip).max(8).optional().describe("absent: the router's own address for a new network"),
        lease_time_seconds: z
          .number()
          .int()
          .min(60)
          .max(365 * 86400)
          .optional(),
      })
      .optional()
      .describe('absent: the DHCP server stays as it is'),
  })
  .superRefine((f, ctx) => {
    if (!isInterfaceAddress(f.address)) return;
    const a = interfaceAddress(f.address);
    if (!isHostAddress(a.ip, a))
      ctx.addIssue({ code: 'custom', path: ['address'], message: 'the network or broadcast address' });
    const d = f.dhcp_server;
    if (!d) return;
    if ((d.pool_start === undefined) !== (d.pool_end === undefined))
      ctx.addIssue({ code: 'custom', path: ['dhcp_server', 'pool_end'], message: 'give both ends of the pool' });
    if (d.pool_start === undefined || d.pool_end === undefined) return;
    for (const k of ['pool_start', 'pool_end'] as const)
      if (!inSubnet(d[k] as string, a) || !isHostAddress(d[k] as string, a))
        ctx.addIssue({ code: 'custom', path: ['dhcp_server', k], message: `a host address in ${a.subnet}` });
    const [s, e, r] = [toInt(d.pool_start), toInt(d.pool_end), toInt(a.ip)];
    if (s > e) ctx.addIssue({ code: 'custom', path: ['dhcp_server', 'pool_end'], message: 'after pool_start' });
    else if (r >= s && r <= e)
      ctx.addIssue({
        code: 'custom',
        path: ['dhcp_server', 'pool_start'],
        message: "the pool holds the router's own address",
      });
  });

export const securities = ['open', 'wpa2-psk', 'wpa3-psk', 'wpa2-wpa3-psk'] as const;
export type Security = (typeof securities)[number];
const radio = z
  .strictObject({
    interface: ifName,
    enabled: z.boolean().optional(),
    ssid: printable(32).min(1).optional(),
    security: z.enum(securities).optional(),
    passphrase: z
      .string()
      .regex(/^([\x20-\x7e]{8,63}|[0-9A-Fa-f]{64})$/, '8 to 63 printable characters, or 64 hex digits')
      .optional()
      .describe('write-only; absent keeps the one the device has'),
    band: z
      .string()
      .regex(/^[256]ghz-[a-z/]+$/, 'a band such as 2ghz-b/g/n or 5ghz-ax')
      .optional(),
    frequency: z
      .union([z.literal('auto'), z.number().int().min(2300).max(7200)])
      .optional()
      .describe('MHz, or auto'),
  })
  .describe('absent fields stay as the device has them');
export const wifiForm = z
  .strictObject({ radios: z.array(radio).min(1).max(32) })
  .refine((f) => unique(f.radios, (r) => r.interface), { message: 'each interface once', path: ['radios'] });

const ruleName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,47}$/, 'letters, digits, space, _ . - (48 at most)');
export const portForwardingForm = z
  .strictObject({
    wan_interface: ifName.describe('the interface (or interface list) the forwarded traffic arrives on'),
    rules: z
      .array(
        z.strictObject({
          name: ruleName,
          protocol: z.enum(['tcp', 'udp']),
          external_port: portOrRange,
          internal_address: ipv4,
          internal_port: portOrRange.optional().describe('absent: the same port'),
          enabled: z.boolean().default(true),
        }),
      )
      .max(200)
      .refine((rs) => unique(rs, (r) => r.name.toLowerCase()), 'each name once'),
  })
  .describe("TOD's port forwards: the whole list (a rule left out is removed); other dst-nat rules are not touched");

export const services = ['ssh', 'winbox', 'api', 'api-ssl', 'www', 'www-ssl', 'telnet', 'ftp'] as const;
export const firewallForm = z.strictObject({
  enabled: z.boolean().describe("false removes TOD's simplified rules"),
  wan_interface: ifName,
  allowed_services: z
    .array(z.enum(services))
    .max(services.length)
    .default([])
    .refine((s) => unique(s, (x) => x), 'each service once')
    .describe("the router's services reachable from the WAN"),
  block_ping: z.boolean().default(false),
  protect_lan: z
    .boolean()
    .default(true)
    .describe('forward chain: drop new connections from the WAN not port-forwarded'),
});

export const dnsForm = z
  .strictObject({
    servers: z.array(ip).max(8).optional(),
    allow_remote_requests: z.boolean().optional(),
    static: z
      .array(z.strictObject({ name: hostname, address: ip }))
      .max(500)
      .refine((s) => unique(s, (e) => `${e.name.toLowerCase()} ${e.address}`), 'each name and address once')
      .optional()
      .describe('the whole list of plain static entries (name → address); others (regexp, CNAME…) are not touched'),
  })
  .refine((f) => Object.keys(f).length > 0, 'nothing to change');

export const systemForm = z
  .strictObject({
    identity: printable(64).min(1).optional(),
    time_zone: z
      .string()
      .max(64)
      .refine((tz) => tz === 'manual' || canonicalTimezone(tz) !== null, 'a time zone such as Europe/Berlin')
      .optional(),
    ntp: z
      .strictObject({
        enabled: z.boolean(),
        servers: z
          .array(z.union([ip, hostname]))
          .max(4)
          .default([]),
      })
      .optional(),
    admin_password: z
      .strictObject({ user: routerosUsername, password: secret(1, 128) })
      .optional()
      .describe("a router user's new password (not the user TOD logs in as)"),
  })
  .refine((f) => Object.keys(f).length > 0, 'nothing to change');

export const forms = {
  internet: internetForm,
  lan: lanForm,
  wifi: wifiForm,
  'port-forwarding': portForwardingForm,
  firewall: firewallForm,
  dns: dnsForm,
  system: systemForm,
} as const;

export type InternetForm = z.output<typeof internetForm>;
export type LanForm = z.output<typeof lanForm>;
export type WifiForm = z.output<typeof wifiForm>;
export type PortForwardingForm = z.output<typeof portForwardingForm>;
export type FirewallForm = z.output<typeof firewallForm>;
export type DnsForm = z.output<typeof dnsForm>;
export type SystemForm = z.output<typeof systemForm>;
export type FormOf = {
  internet: InternetForm;
  lan: LanForm;
  wifi: WifiForm;
  'port-forwarding': PortForwardingForm;
  firewall: FirewallForm;
  dns: DnsForm;
  system: SystemForm;
};
export type AnyForm = FormOf[Tab];
