import {
  Context,
  type Emitter,
  Liquid,
  LiquidError,
  Tag,
  type TagToken,
  type Template,
  type TopLevelToken,
  toValueSync,
} from 'liquidjs';
import { TemplateError } from './errors.js';
import { extraFilters } from './filters.js';
import type { VariableValue } from './variables.js';

// Templates render in a sandboxed LiquidJS (Jinja-like syntax, no code execution): no file system (include,
// render and layout fail at parse time), strict variables (a typo is an error naming it), own properties only (no
// prototype), and bounds on template size, output size, work (template steps), memory and time. Rendering is
// synchronous: a template is data to expand, never I/O.

/** The built-in `device` a template sees. The caller fills it from the inventory. */
export type TemplateDevice = {
  id: string;
  name: string;
  /** `/system identity` as last read; null before the first poll. */
  identity: string | null;
  host: string;
  model: string | null;
  /** Full RouterOS version (`7.18.2`). */
  version: string | null;
  /** RouterOS major version (6, 7), for `{% if device.major >= 7 %}`. */
  major: number | null;
  /** Site name. */
  site: string | null;
  /** Tag names. */
  tags: string[];
  /** Group names. */
  groups: string[];
  interfaces: Array<{ name: string; type: string; mac_address: string | null; running: boolean }>;
};

export const TEMPLATE_LIMITS = {
  /** Template text, characters. */
  body: 256 * 1024,
  /** Rendered text, characters. */
  output: 256 * 1024,
  /** Template steps (tags and outputs rendered, loop iterations included). */
  steps: 200_000,
  /** Liquid's allocation budget (ranges, arrays, string filters) plus everything written, captures included. */
  memory: 4 * 1024 * 1024,
  /** Wall time of one render, ms. A backstop: the step and memory bounds stop runaway templates first. */
  time: 1000,
} as const;

/** A reason to stop: thrown inside Liquid, found again in the error it wraps. */
class Limit extends Error {}

type Budget = { steps: number; written: number };
const budgets = new WeakMap<Context, Budget>();

function budgetOf(ctx: Context): Budget {
  let b = budgets.get(ctx);
  if (!b) {
    b = { steps: 0, written: 0 };
    budgets.set(ctx, b);
  }
  return b;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(text).join('');
  return typeof value === 'string' ? value : String(value);
}

/** Counts every write (the output and each `capture`) against the render's budget; the output has its own cap. */
class BoundedEmitter implements Emitter {
  buffer = '';
  constructor(
    private readonly budget: Budget,
    private readonly cap: number,
  ) {}
  write(html: unknown): void {
    const s = text(html);
    this.budget.written += s.length;
    if (this.budget.written > TEMPLATE_LIMITS.memory) throw new Limit('the template writes too much text');
    if (this.buffer.length + s.length > this.cap)
      throw new Limit(`the rendered text is larger than ${Math.round(this.cap / 1024)} KiB`);
    this.buffer += s;
  }
}

/** Tags that would read other templates or files. */
function unavailable(name: string) {
  return class Unavailable extends Tag {
    constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
      super(token, remain, liquid);
      throw new Error(`{% ${name} %} is not available: a template cannot read other templates or files`);
    }
    *render(): Generator<unknown, void, unknown> {}
  };
}

function createEngine(): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    strictFilters: true,
    ownPropertyOnly: true,
    // An empty in-memory file system: nothing outside the template can be reached even if a tag tried.
    templates: {},
    relativeReference: false,
    cache: false,
    parseLimit: TEMPLATE_LIMITS.body,
    renderLimit: TEMPLATE_LIMITS.time,
    memoryLimit: TEMPLATE_LIMITS.memory,
  });
  for (const name of ['include', 'render', 'layout']) engine.registerTag(name, unavailable(name));
  for (const [name, fn] of Object.entries(extraFilters)) engine.registerFilter(name, fn);
  // Every block (the template, each loop iteration, each branch, each capture) renders through here: count its
  // steps, and give captures a bounded emitter (Liquid's own would grow without limit).
  const renderer = engine.renderer;
  const renderTemplates = renderer.renderTemplates.bind(renderer);
  renderer.renderTemplates = function* (templates: Template[], ctx: Context, emitter?: Emitter) {
    const budget = budgetOf(ctx);
    budget.steps += templates.length + 1;
    if (budget.steps > TEMPLATE_LIMITS.steps) throw new Limit('too many steps (a loop runs too often)');
    return yield* renderTemplates(templates, ctx, emitter ?? new BoundedEmitter(budget, TEMPLATE_LIMITS.memory));
  };
  return engine;
}

const engine = createEngine();

/** A parsed template, to render for many devices without parsing again. */
export type CompiledTemplate = { readonly templates: Template[]; readonly body: string };

/** Parse a template; throws TemplateError template_syntax (with the line) or template_limit. */
export function compileTemplate(body: string): CompiledTemplate {
  if (body.length > TEMPLATE_LIMITS.body)
    throw new TemplateError('template_limit', `the template is larger than ${TEMPLATE_LIMITS.body / 1024} KiB`);
  try {
    return { templates: engine.parse(body), body };
  } catch (e) {
    throw toTemplateError(e, 'template_syntax');
  }
}

/**
 * Check a template before saving it: it parses, and every variable it reads at the top level is `device` or one
 * of `declared` (when given). Returns the variables it reads (without `device`), in order of first use.
 */
export function checkSyntax(body: string, declared?: readonly string[]): { variables: string[] } {
  const { templates } = compileTemplate(body);
  let globals: ReturnType<Liquid['analyzeSync']>['globals'];
  try {
    globals = engine.analyzeSync(templates).globals;
  } catch (e) {
    throw toTemplateError(e, 'template_syntax');
  }
  const names = Object.keys(globals).filter((n) => n !== 'device');
  if (declared) {
    const known = new Set(declared);
    for (const n of names) {
      if (known.has(n)) continue;
      const at = globals[n]?.[0]?.location.row;
      throw new TemplateError('variable_undefined', `"${n}" is not a declared variable`, at, n);
    }
  }
  return { variables: names };
}

/**
 * Render a template for one device. `values` are the coerced variables (coerceValues), every declared name
 * present. Throws TemplateError: template_syntax, template_render, template_limit, variable_undefined.
 */
export function renderTemplate(
  template: string | CompiledTemplate,
  scope: { device: TemplateDevice; values: Record<string, VariableValue> },
): { text: string } {
  const { templates } = typeof template === 'string' ? compileTemplate(template) : template;
  // Own properties only, built afresh: nothing the caller passes can bring a prototype or a function along.
  const env: Record<string, unknown> = Object.fromEntries(Object.entries(scope.values));
  env.device = structuredClone(scope.device);
  const ctx = new Context(env, engine.options, { sync: true }, { liquid: engine });
  const out = new BoundedEmitter(budgetOf(ctx), TEMPLATE_LIMITS.output);
  try {
    toValueSync(engine.renderer.renderTemplates(templates, ctx, out));
  } catch (e) {
    throw toTemplateError(e, 'template_render');
  }
  return { text: out.buffer };
}

/** The innermost cause of a Liquid error (Liquid wraps errors thrown by filters, tags and emitters). */
function causes(e: unknown): unknown[] {
  const out: unknown[] = [];
  for (let c: unknown = e; c && out.length < 10; c = (c as { originalError?: unknown }).originalError) out.push(c);
  return out;
}

function toTemplateError(e: unknown, fallback: 'template_syntax' | 'template_render'): TemplateError {
  if (e instanceof TemplateError) return e;
  const chain = causes(e);
  const line = lineOf(e);
  const limit = chain.find((c) => c instanceof Limit);
  if (limit) return new TemplateError('template_limit', (limit as Error).message, line);
  const undef = chain.find((c) => (c as Error)?.name === 'InternalUndefinedVariableError') as
    | { variableName?: string }
    | undefined;
  if (undef?.variableName !== undefined)
    return new TemplateError('variable_undefined', `"${undef.variableName}" is not defined`, line, undef.variableName);
  const inner = chain[chain.length - 1];
  // Liquid appends the position to its messages; the line is reported on its own.
  const message = (inner instanceof Error ? inner.message : String(inner)).replace(/, line:\d+, col:\d+$/, '');
  // Liquid's own bounds (parse length, memory, render time) and a parser's runaway recursion.
  if (/limit exceeded$/.test(message) || inner instanceof RangeError)
    return new TemplateError('template_limit', limitMessage(message), line);
  return new TemplateError(fallback, message, line);
}

function limitMessage(message: string): string {
  if (message.startsWith('template render')) return 'the template took too long to render';
  if (message.startsWith('memory alloc'))
    return 'the template uses too much memory (a range, list or text is too large)';
  if (message.startsWith('parse length')) return 'the template is too large';
  return 'the template is too complex';
}

function lineOf(e: unknown): number | undefined {
  return e instanceof Error && LiquidError.is(e) ? e.token?.getPosition()[0] : undefined;
}
