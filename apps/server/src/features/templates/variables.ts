import net from 'node:net';
import { z } from 'zod';
import { parseCidr } from '../../platform/net/cidr.js';

// Declared template variables and the values a render gets: typed, validated, coerced from what forms and CSV
// send (strings), layered per device > request > group > default.

export const variableTypes = ['string', 'integer', 'boolean', 'ip', 'cidr', 'list'] as const;
export type VariableType = (typeof variableTypes)[number];
/** Element type of a `list` (default string). */
export const listElementTypes = ['string', 'integer', 'ip', 'cidr'] as const;
export type ListElementType = (typeof listElementTypes)[number];

export const MAX_VARIABLES = 100;
export const MAX_STRING = 4096;
export const MAX_LIST = 1000;

/**
 * Names a variable may not take: the built-in `device`, Liquid's own words, and names that would reach an
 * object's prototype.
 */
const RESERVED = new Set([
  'device',
  'forloop',
  'tablerowloop',
  'empty',
  'blank',
  'nil',
  'null',
  'true',
  'false',
  'constructor',
  'prototype',
]);

export const variableNameSchema = z
  .string()
  .max(64)
  .regex(/^[a-z_][a-z0-9_]*$/i, 'letters, digits and _, not starting with a digit')
  .refine((n) => !RESERVED.has(n.toLowerCase()) && !n.startsWith('__'), 'a reserved name');

const scalarValue = z.union([z.string().max(MAX_STRING), z.number(), z.boolean()]);
/** A value as the API accepts it: scalars, or a list (an array, or a comma-separated string). */
export const variableValueSchema = z.union([
  scalarValue,
  z.array(z.union([z.string().max(MAX_STRING), z.number()])).max(MAX_LIST),
]);
/** Values by variable name. */
export const variableValuesSchema = z.record(variableNameSchema, variableValueSchema.nullable());

export const variableSchema = z
  .object({
    name: variableNameSchema,
    type: z.enum(variableTypes),
    /** Element type of a list. */
    of: z.enum(listElementTypes).optional(),
    default: variableValueSchema.optional(),
    description: z.string().max(1000).optional(),
    /** A render needs a value (from any source or the default). */
    required: z.boolean().optional(),
    /** Write-only: its values are masked in every answer (previews, stored group values) for callers without config.secrets. */
    secret: z.boolean().optional(),
  })
  .superRefine((v, ctx) => {
    if (v.of !== undefined && v.type !== 'list')
      ctx.addIssue({ code: 'custom', path: ['of'], message: 'only for lists' });
    if (v.default === undefined) return;
    const r = coerceValue(v, v.default);
    if (!r.ok) ctx.addIssue({ code: 'custom', path: ['default'], message: r.message });
  });
export type VariableDeclaration = z.infer<typeof variableSchema>;

export const variablesSchema = z
  .array(variableSchema)
  .max(MAX_VARIABLES)
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    list.forEach((v, i) => {
      // Liquid names are case-sensitive; two names differing only in case are a mistake waiting to happen.
      const key = v.name.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${v.name}" is declared twice` });
      seen.add(key);
    });
  });

/** A value as a template sees it. */
export type VariableValue = string | number | boolean | string[] | number[] | null;

export type Coerced = { ok: true; value: Exclude<VariableValue, null> } | { ok: false; message: string };

// Control characters would let a value end the line and start another command in the rendered script.
const CONTROL = /[\x00-\x1f\x7f]/;
const TRUE = new Set(['true', 'yes', 'on', '1']);
const FALSE = new Set(['false', 'no', 'off', '0']);

/** One value converted to the declared type (strings from forms and CSV included), or why not. */
export function coerceValue(decl: Pick<VariableDeclaration, 'type' | 'of'>, raw: unknown): Coerced {
  if (decl.type === 'list') {
    const items = Array.isArray(raw)
      ? raw
      : typeof raw === 'string'
        ? raw
            .split(/[,\n]/)
            .map((s) => s.trim())
            .filter((s) => s !== '')
        : undefined;
    if (!items) return { ok: false, message: 'expected a list' };
    if (items.length > MAX_LIST) return { ok: false, message: `a list holds at most ${MAX_LIST} items` };
    const out: Array<string | number> = [];
    for (const [i, item] of items.entries()) {
      const r = coerceScalar(decl.of ?? 'string', item);
      if (!r.ok) return { ok: false, message: `item ${i + 1}: ${r.message}` };
      out.push(r.value as string | number);
    }
    return { ok: true, value: out as string[] | number[] };
  }
  return coerceScalar(decl.type, raw);
}

function coerceScalar(type: Exclude<VariableType, 'list'>, raw: unknown): Coerced {
  const text = typeof raw === 'string' ? raw.trim() : undefined;
  switch (type) {
    case 'string': {
      if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean')
        return { ok: false, message: 'expected text' };
      const s = String(raw);
      if (s.length > MAX_STRING) return { ok: false, message: `at most ${MAX_STRING} characters` };
      if (CONTROL.test(s)) return { ok: false, message: 'must be one line without control characters' };
      return { ok: true, value: s };
    }
    case 'integer': {
      const n = typeof raw === 'number' ? raw : text !== undefined && /^[+-]?\d{1,16}$/.test(text) ? Number(text) : NaN;
      if (!Number.isSafeInteger(n)) return { ok: false, message: 'expected a whole number' };
      return { ok: true, value: n };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const s = typeof raw === 'number' ? String(raw) : text?.toLowerCase();
      if (s !== undefined && TRUE.has(s)) return { ok: true, value: true };
      if (s !== undefined && FALSE.has(s)) return { ok: true, value: false };
      return { ok: false, message: 'expected yes or no (true/false)' };
    }
    case 'ip': {
      if (text === undefined || !net.isIP(text)) return { ok: false, message: 'expected an IPv4 or IPv6 address' };
      return { ok: true, value: canonicalAddress(text) };
    }
    case 'cidr': {
      if (text === undefined || !text.includes('/'))
        return { ok: false, message: 'expected an address with a prefix length, like 192.168.88.1/24' };
      try {
        const c = parseCidr(text);
        return { ok: true, value: `${canonicalAddress(c.address)}/${c.prefix}` };
      } catch (e) {
        return { ok: false, message: (e as Error).message };
      }
    }
  }
}

/** IPv6 as RouterOS writes it (lower case, shortest form), so a template value compares equal to an export. */
function canonicalAddress(address: string): string {
  if (net.isIP(address) !== 6 || address.includes('.')) return address.toLowerCase();
  return new URL(`http://[${address}]`).hostname.slice(1, -1);
}

export type ValueMap = Record<string, unknown>;

/** Where values come from, highest precedence first: this device, the request, the device's groups. */
export type SuppliedValues = {
  /** Values for this one device. */
  device?: ValueMap | null;
  /** Values for every device (the preview/push request's `values`). */
  values?: ValueMap | null;
  /** Values of the device's groups, the one that wins first. */
  groups?: ReadonlyArray<ValueMap | null | undefined>;
};

export const variableErrorCodes = ['variable_unknown', 'variable_required', 'variable_invalid'] as const;
export type VariableErrorCode = (typeof variableErrorCodes)[number];
export type VariableError = { variable: string; device_id?: string; code: VariableErrorCode; message: string };

/** Absent: nothing given, or an empty string for a type other than text. */
function absent(decl: VariableDeclaration, raw: unknown): boolean {
  return raw === undefined || raw === null || (decl.type !== 'string' && typeof raw === 'string' && raw.trim() === '');
}

/**
 * Every declared variable's value for one device (null when optional and unset), and every problem: a name
 * that is not declared, a value that is not of its type, a required variable without a value. Errors name the
 * variable and the device.
 */
export function coerceValues(
  declared: readonly VariableDeclaration[],
  supplied: SuppliedValues,
  ctx: { device?: { id: string; name?: string } } = {},
): { values: Record<string, VariableValue>; errors: VariableError[] } {
  const errors: VariableError[] = [];
  const forDevice = ctx.device ? ` for device ${ctx.device.name ?? ctx.device.id}` : '';
  const error = (variable: string, code: VariableErrorCode, message: string): void => {
    errors.push({ variable, ...(ctx.device ? { device_id: ctx.device.id } : {}), code, message });
  };
  const byName = new Map(declared.map((d) => [d.name, d]));
  const layers: Array<[string, ValueMap]> = [];
  if (supplied.device) layers.push(['device value', supplied.device]);
  if (supplied.values) layers.push(['value', supplied.values]);
  for (const g of supplied.groups ?? []) if (g) layers.push(['group value', g]);
  const unknown = new Set<string>();
  for (const [, layer] of layers)
    for (const name of Object.keys(layer)) if (!byName.has(name) && !unknown.has(name)) unknown.add(name);
  for (const name of unknown) error(name, 'variable_unknown', `"${name}" is not a variable of this template`);

  const entries: Array<[string, VariableValue]> = [];
  for (const decl of declared) {
    const source = layers.find(([, layer]) => Object.hasOwn(layer, decl.name) && !absent(decl, layer[decl.name]));
    const [label, raw] = source ? [source[0], source[1][decl.name]] : ['default', decl.default];
    let value: VariableValue = null;
    if (!absent(decl, raw)) {
      const r = coerceValue(decl, raw);
      if (r.ok) value = r.value;
      else {
        error(decl.name, 'variable_invalid', `"${decl.name}"${forDevice}: the ${label} is invalid: ${r.message}`);
        entries.push([decl.name, null]);
        continue;
      }
    }
    if (decl.required && (value === null || value === '')) {
      error(decl.name, 'variable_required', `"${decl.name}" is required and has no value${forDevice}`);
    }
    entries.push([decl.name, value]);
  }
  // fromEntries defines own properties, so no name can reach a prototype.
  return { values: Object.fromEntries(entries), errors };
}
