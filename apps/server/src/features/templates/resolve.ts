import { displayCommand } from '../changes/commands.js';
import { REDACTED, type RestorePlan, redactPlan } from '../changes/restore-plan.js';
import type { DeviceContext } from './device-context.js';
import { TemplateError } from './errors.js';
import { planTemplate, type TemplatePlan } from './plan.js';
import { type CompiledTemplate, renderTemplate } from './render.js';
import { coerceValues, type ValueMap, type VariableDeclaration } from './variables.js';

// One device's render: values from the device, the request and the device's groups (in that order) over the
// defaults, then the sandboxed render. Every problem names the variable (or the line) and the device.

/** The values of a preview or a push: for all devices, per device, per group (stored with the template). */
export type ValueSet = {
  values?: ValueMap | undefined;
  devices?: Record<string, ValueMap> | undefined;
  groups?: Record<string, ValueMap> | undefined;
};

export type RenderIssue = { code: string; message: string; device_id: string; variable?: string; line?: number };

export function renderFor(
  t: { compiled: CompiledTemplate; variables: readonly VariableDeclaration[] },
  ctx: DeviceContext,
  set: ValueSet,
): { text: string; secrets: string[] } | { errors: RenderIssue[] } {
  const device_id = ctx.device.id;
  const { values, errors } = coerceValues(
    t.variables,
    {
      device: set.devices?.[device_id] ?? null,
      values: set.values ?? null,
      groups: ctx.groupIds.map((g) => set.groups?.[g]),
    },
    { device: { id: device_id, name: ctx.device.name } },
  );
  if (errors.length > 0) return { errors: errors.map((e) => ({ ...e, device_id })) };
  try {
    const { text } = renderTemplate(t.compiled, { device: ctx.device, values });
    const secrets = t.variables
      .filter((v) => v.secret)
      .flatMap((v) => {
        const x = values[v.name];
        return x === null || x === undefined ? [] : Array.isArray(x) ? x.map(String) : [String(x)];
      })
      .filter((s) => s.length > 0);
    return { text, secrets };
  } catch (e) {
    if (e instanceof TemplateError) return { errors: [{ ...e.toJSON(), device_id }] };
    throw e;
  }
}

/** The plan of a rendered template against a normalised export, or the problem as an issue of this device. */
export function planFor(
  deviceId: string,
  rendered: string,
  currentText: string,
  major: number | null,
): TemplatePlan | { errors: RenderIssue[] } {
  try {
    return planTemplate(rendered, currentText, { normalized: true, ...(major ? { major } : {}) });
  } catch (e) {
    if (e instanceof TemplateError) return { errors: [{ ...e.toJSON(), device_id: deviceId }] };
    throw e;
  }
}

/** What a caller without config.secrets may see of a plan and its rendered text. */
export function shown(plan: TemplatePlan, rendered: string, secrets: string[], mayReadSecrets: boolean) {
  const view = (p: TemplatePlan) => ({
    diff: p.diff,
    commands: p.commands.map((c) => displayCommand(c).cli),
    unsupported: p.unsupported,
  });
  if (mayReadSecrets) return { rendered, ...view(plan), in_sync: plan.inSync };
  const asRestore = redactPlan({
    equal: plan.inSync,
    changes: 0,
    semantic: plan.diff,
    commands: plan.commands,
    unsupported: plan.unsupported,
    risks: [],
  } satisfies RestorePlan);
  // Secret variables may land in properties no rule knows as secret (a comment, a script): masked by value too.
  const mask = <T>(x: T): T => {
    let json = JSON.stringify(x);
    for (const v of [...secrets].sort((a, b) => b.length - a.length))
      json = json.split(JSON.stringify(v).slice(1, -1)).join(REDACTED);
    return JSON.parse(json) as T;
  };
  return {
    rendered: mask(rendered),
    diff: mask(asRestore.semantic),
    commands: mask(asRestore.commands.map((c) => c.cli)),
    unsupported: mask(asRestore.unsupported),
    in_sync: plan.inSync,
  };
}
