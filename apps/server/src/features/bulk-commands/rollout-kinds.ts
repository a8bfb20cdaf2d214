// The rollout kinds that run a bulk command on each device (mixing.ts says which a text gets) and the planner of
// its change operations. The commands come from the rollout's sealed payload and are planned again on each device
// (the same text gives the same steps); nothing here trusts the stored request, which is only for display.
import { AppError } from '../../platform/http/errors.js';
import type { Envelope } from '../../platform/kms/envelope.js';
import { useByWorker } from '../../platform/kms/key-use.js';
import type { PlannedCommand } from '../changes/commands.js';
import { OperationFailed, type Planner } from '../changes/engine.js';
import type { DeviceAccess } from '../device-access/device-access.service.js';
import type { DeviceRef } from '../device-access/leases.js';
import { type RolloutKind, type StepContext, StepFailed } from '../rollouts/kinds.js';
import type { Outcome } from '../rollouts/rollouts.repo.js';
import { KIND_ACTION, KIND_CHANGE, KIND_READ } from './mixing.js';
import { planBulkCommands } from './plan.js';
import { shownCli } from './redact.js';
import { bounded, type DirectStep, type Part, runDirect } from './run-steps.js';
import type { ChangeStep, Step } from './translate.js';

export const PLANNER_KIND = 'bulk_command';

/** What the rollout keeps sealed: the text as typed and the deny-list entries an admin allowed for it. */
export type BulkPayload = { commands: string; allow: string[] };

const refOf = (ctx: StepContext): DeviceRef => ({ tenantId: ctx.rollout.tenant_id, deviceId: ctx.device.device_id });

function stepsOf(ctx: StepContext): Step[] {
  const p = ctx.payload as Partial<BulkPayload>;
  const plan = planBulkCommands(String(p.commands ?? ''), { allow: p.allow ?? [] });
  const first = plan.errors[0];
  if (first) throw new StepFailed(first.code, `line ${first.line}: ${first.message}`);
  return plan.steps;
}

const isDirect = (s: Step): s is DirectStep => s.kind !== 'change';

/** A device's text: a lone command's answer as it is; several (or a run cut short) under their command lines. */
function shown(parts: readonly Part[], steps: number): string {
  if (steps === 1 && parts.length === 1) return bounded((parts[0] as Part).output);
  return bounded(parts.map((p) => (p.output === '' ? `> ${p.cli}` : `> ${p.cli}\n${p.output}`)).join('\n'));
}

/** Runs direct steps; a failure part-way keeps what was said before it as the device's output. */
async function direct(
  access: DeviceAccess,
  ctx: StepContext,
  steps: DirectStep[],
  parts: Part[],
  total: number,
): Promise<Outcome> {
  try {
    await runDirect(access, refOf(ctx), steps, shownCli, parts, ctx.signal);
    return { status: 'done', output: shown(parts, total) };
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    // Reaching the device (DeviceAccessError) or a step's own failure; anything else is the runner's to report.
    if (!(e instanceof AppError || e instanceof StepFailed)) throw e;
    return {
      status: 'failed',
      error: { code: e.code, message: e.message },
      ...(parts.length ? { output: shown(parts, total) } : {}),
    };
  }
}

const sealContext = (rolloutId: string, deviceId: string) => `bulk-command:${rolloutId}:${deviceId}:commands`;

export function registerBulkKinds(
  rollouts: { registerKind(name: string, kind: RolloutKind): void },
  deps: { access: DeviceAccess; envelope: Envelope },
) {
  // Reads only: the whole fleet at once, nothing to pause for (a device that fails is one line of the results).
  rollouts.registerKind(KIND_READ, {
    changes: false,
    defaults: { canary: 0, batch_size: 10_000, concurrency: 25, max_failures: null, device_timeout_seconds: 300 },
    run: (ctx) => {
      const steps = stepsOf(ctx).filter(isDirect);
      return direct(deps.access, ctx, steps, [], steps.length);
    },
  });

  // Actions act on routers without the engine's net: the engine's careful defaults (a canary, pause on failure).
  rollouts.registerKind(KIND_ACTION, {
    changes: false,
    defaults: { device_timeout_seconds: 300 },
    run: (ctx) => {
      const steps = stepsOf(ctx).filter(isDirect);
      return direct(deps.access, ctx, steps, [], steps.length);
    },
  });

  // Changes: one operation of the safe-change engine per device; reads typed before it run first (kept in the
  // device's state, so a restart does not read again after the change), reads typed after it once confirmed.
  const before = new WeakMap<StepContext, Part[]>();
  const split = (steps: Step[]) => {
    const first = steps.findIndex((s) => s.kind === 'change');
    const total = steps.length;
    const last = steps.findLastIndex((s) => s.kind === 'change');
    return {
      before: steps.slice(0, first).filter(isDirect),
      changes: steps.filter((s): s is ChangeStep => s.kind === 'change'),
      after: steps.slice(last + 1).filter(isDirect),
      total,
    };
  };
  rollouts.registerKind(KIND_CHANGE, {
    changes: true,
    async operation(ctx) {
      const s = split(stepsOf(ctx));
      let parts = (ctx.device.state?.before as Part[] | undefined) ?? undefined;
      if (!parts) {
        parts = [];
        if (s.before.length) {
          const o = await direct(deps.access, ctx, s.before, parts, s.total);
          if (o.status !== 'done') throw new StepFailed(o.error?.code ?? 'step_failed', o.error?.message ?? '');
        }
        await ctx.saveState({ before: parts });
      }
      before.set(ctx, parts);
      const commands = s.changes.map((c) => c.command);
      const sealed = await deps.envelope.encrypt(
        ctx.rollout.tenant_id,
        JSON.stringify(commands),
        sealContext(ctx.rollout.id, ctx.device.device_id),
        useByWorker('rollout', 'seal'),
      );
      return {
        kind: PLANNER_KIND,
        request: { rollout_id: ctx.rollout.id, commands_sealed: sealed.toString('base64') },
        summary:
          `Bulk command: ${commands.length} change${commands.length === 1 ? '' : 's'} (${ctx.rollout.name})`.slice(
            0,
            300,
          ),
      };
    },
    async after(ctx) {
      const s = split(stepsOf(ctx));
      const parts = [
        ...(before.get(ctx) ?? (ctx.device.state?.before as Part[] | undefined) ?? []),
        ...s.changes.map((c) => ({ cli: shownCli(c), output: '' })),
      ];
      if (s.after.length === 0) return { output: shown(parts, s.total) };
      // The change is confirmed: a read that fails now is shown in the output, not a failure of the device.
      const o = await direct(deps.access, ctx, s.after, parts, s.total);
      if (!o.error) return { output: shown(parts, s.total) };
      return { output: bounded(`${shown(parts, s.total)}\nerror: ${o.error.code}: ${o.error.message}`) };
    },
  });
}

/** The planner of `bulk_command` operations: the change steps' commands, opened from the operation's request. */
export function bulkCommandPlanner(envelope: Envelope): Planner {
  return async ({ op, ref }) => {
    const r = op.request as { rollout_id?: string; commands_sealed?: string };
    if (!r.rollout_id || !r.commands_sealed)
      throw new OperationFailed('invalid_bulk_command', 'the operation carries no commands');
    const plain = await envelope.decrypt(
      ref.tenantId,
      Buffer.from(r.commands_sealed, 'base64'),
      sealContext(r.rollout_id, ref.deviceId),
      useByWorker('change'),
    );
    const commands = JSON.parse(plain.toString('utf8')) as PlannedCommand[];
    return { commands, summary: `Bulk command: ${commands.length} change${commands.length === 1 ? '' : 's'}` };
  };
}
