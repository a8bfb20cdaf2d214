import {
  type ListElementType,
  listElementTypes,
  type NewTemplate,
  REDACTED,
  type Starter,
  type Template,
  type TemplateChange,
  type Values,
  type Variable,
  type VariableType,
  variableTypes,
} from '@/api/templates';

// A template as the editor holds it: every value as the text of its field, so a half-typed number stays as typed.
// The server checks and coerces values by their declared type; here a field's text only becomes the JSON the API
// takes (numbers, yes/no, lists), and a field left empty means "not given".

export type VariableDraft = {
  /** React key: names change as they are typed. */
  key: string;
  name: string;
  type: VariableType;
  of: ListElementType;
  default: string;
  required: boolean;
  secret: boolean;
  description: string;
};

/** Texts by variable name. */
export type ValueTexts = Record<string, string>;

export type Draft = {
  name: string;
  description: string;
  body: string;
  variables: VariableDraft[];
  /** Values per device group id. */
  groups: Record<string, ValueTexts>;
};

let nextKey = 0;
export const newKey = () => `v${++nextKey}`;

const isType = (t: string): t is VariableType => (variableTypes as readonly string[]).includes(t);
const isElement = (t: string | undefined): t is ListElementType =>
  t !== undefined && (listElementTypes as readonly string[]).includes(t);

/** A value from the API as the text of its field. */
export function valueText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

export function variableDraft(v: Variable | Starter['variables'][number]): VariableDraft {
  return {
    key: newKey(),
    name: v.name,
    type: isType(v.type) ? v.type : 'string',
    of: isElement(v.of) ? v.of : 'string',
    default: valueText(v.default),
    required: v.required === true,
    secret: v.secret === true,
    description: v.description ?? '',
  };
}

export const blankVariable = (): VariableDraft => ({
  key: newKey(),
  name: '',
  type: 'string',
  of: 'string',
  default: '',
  required: false,
  secret: false,
  description: '',
});

export const blankDraft = (): Draft => ({ name: '', description: '', body: '', variables: [], groups: {} });

export function draftOf(t: Template | Starter): Draft {
  const groups = 'group_values' in t ? t.group_values : {};
  return {
    name: t.name,
    description: t.description,
    body: t.body,
    variables: t.variables.map(variableDraft),
    groups: Object.fromEntries(
      Object.entries(groups).map(([g, vals]) => [
        g,
        Object.fromEntries(Object.entries(vals).map(([k, v]) => [k, valueText(v)])),
      ]),
    ),
  };
}

type Typed = Exclude<Values[string], null>;

/** The JSON for one field's text, or undefined when it is empty (not given). */
export function typedValue(v: Pick<VariableDraft, 'type' | 'of'>, text: string): Typed | undefined {
  const t = text.trim();
  if (v.type === 'string') return text === '' ? undefined : text;
  if (t === '') return undefined;
  const number = (s: string) => (/^[+-]?\d{1,15}$/.test(s) ? Number(s) : s);
  switch (v.type) {
    case 'integer':
      return number(t);
    case 'boolean':
      return t === 'true' ? true : t === 'false' ? false : t;
    case 'list': {
      const items = t
        .split(/[,\n]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
      return v.of === 'integer' ? items.map(number) : items;
    }
    default:
      return t;
  }
}

/** The values the user typed, typed for the API; empty fields left out. */
export function typedValues(variables: readonly Pick<VariableDraft, 'name' | 'type' | 'of'>[], texts: ValueTexts) {
  const out: Values = {};
  for (const v of variables) {
    const value = typedValue(v, texts[v.name] ?? '');
    if (value !== undefined) out[v.name] = value;
  }
  return out;
}

function variablesBody(d: Draft) {
  return d.variables.map((v) => {
    const value = typedValue(v, v.default);
    return {
      name: v.name.trim(),
      type: v.type,
      ...(v.type === 'list' && v.of !== 'string' ? { of: v.of } : {}),
      ...(value !== undefined ? { default: value } : {}),
      ...(v.description.trim() ? { description: v.description.trim() } : {}),
      ...(v.required ? { required: true } : {}),
      ...(v.secret ? { secret: true } : {}),
    };
  });
}

function groupsBody(d: Draft) {
  const out: Record<string, Values> = {};
  for (const [g, texts] of Object.entries(d.groups)) {
    const vals = typedValues(d.variables, texts);
    if (Object.keys(vals).length > 0) out[g] = vals;
  }
  return out;
}

export function createBody(d: Draft): NewTemplate {
  const groups = groupsBody(d);
  return {
    name: d.name.trim(),
    description: d.description,
    body: d.body,
    variables: variablesBody(d) as NewTemplate['variables'],
    ...(Object.keys(groups).length ? { group_values: groups } : {}),
  };
}

/** Only what changed since `before`: a field the user did not touch is not sent (and cannot be clobbered). */
export function changeBody(before: Draft, d: Draft): TemplateChange {
  const a = createBody(before);
  const b = createBody(d);
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const out: TemplateChange = {};
  if (a.name !== b.name) out.name = b.name;
  if (a.description !== b.description) out.description = b.description;
  if (a.body !== b.body) out.body = b.body;
  if (!same(a.variables, b.variables)) out.variables = b.variables;
  if (!same(a.group_values ?? {}, b.group_values ?? {})) out.group_values = b.group_values ?? {};
  return out;
}

/**
 * Secrets come back masked to a role that may not read them. Saving the variables (or group values) sends every
 * default (or value) again, so a masked one would be stored as the mask: it must be typed again or cleared first.
 */
export function maskedSecrets(d: Draft, change: TemplateChange): string[] {
  const secret = d.variables.filter((v) => v.secret);
  const out = new Set<string>();
  if (change.variables) for (const v of secret) if (v.default === REDACTED) out.add(v.name);
  if (change.group_values)
    for (const texts of Object.values(d.groups))
      for (const v of secret) if (texts[v.name] === REDACTED) out.add(v.name);
  return [...out];
}
