import type pg from 'pg';
import { assertCan, can } from '../../platform/auth/permissions.js';
import type { Actor } from '../../platform/auth/principal.js';
import { withTenant } from '../../platform/db/tx.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../audit/audit.service.js';
import type { RolloutsService } from '../rollouts/rollouts.service.js';
import type { BulkCommandBody, BulkResults } from './bulk-commands.schema.js';
import { BULK_KINDS, checkMixing, kindOf } from './mixing.js';
import { parseCommands } from './parse.js';
import { planBulkCommands } from './plan.js';
import { redactText, shownCli } from './redact.js';
import { type DeviceResult, groupOutputs, resultRows, resultsCsv, resultsJson } from './results.js';
import type { BulkPayload } from './rollout-kinds.js';

const MAX_AUDIT_TEXT = 16 * 1024;
type Status = 'done' | 'failed' | 'reverted' | 'skipped';
type Failure = { status: Status; code: string; message: string };

export function createBulkCommandsService(deps: {
  appPool: pg.Pool;
  rollouts: Pick<RolloutsService, 'create' | 'row' | 'devices'>;
}) {
  /** Every problem of the text at once; the first one's code is the answer's. */
  function check(body: BulkCommandBody) {
    const plan = planBulkCommands(body.commands, { allow: body.allow ?? [] });
    const errors = [...plan.errors, ...checkMixing(plan.steps)].sort((a, b) => a.line - b.line || a.column - b.column);
    const first = errors[0];
    if (first)
      throw new AppError(
        first.code,
        `line ${first.line}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
        errors.map((e) => ({ path: `line ${e.line}`, message: `${e.message} (column ${e.column}, ${e.code})` })),
      );
    return plan;
  }

  async function load(actor: Actor, id: string) {
    const r = await deps.rollouts.row(actor, id);
    if (!(BULK_KINDS as readonly string[]).includes(r.kind)) throw notFound('bulk command');
    return r;
  }

  async function results(actor: Actor, id: string): Promise<BulkResults> {
    assertCan(actor, 'bulk_commands.read');
    const r = await load(actor, id);
    const devices = await deps.rollouts.devices(actor, id);
    const counts = { pending: 0, running: 0, done: 0, failed: 0, reverted: 0, skipped: 0 };
    const ended: DeviceResult[] = [];
    // A group's `error` is its key: status, code and message together; the parts come back from this map.
    const failures = new Map<string, Failure>();
    const names = new Map<string, string>();
    const waiting: BulkResults['waiting'] = [];
    for (const d of devices) {
      counts[d.status]++;
      names.set(d.device_id, d.device_name);
      if (d.status === 'pending' || d.status === 'running') {
        waiting.push({ device_id: d.device_id, device_name: d.device_name, status: d.status });
        continue;
      }
      const output = d.output ?? '';
      if (d.status === 'done' && !d.error_code) {
        ended.push({ device_id: d.device_id, output });
        continue;
      }
      const f = { status: d.status, code: d.error_code ?? d.status, message: d.error_detail ?? '' };
      const key = `${f.status === 'failed' ? '' : `${f.status}: `}${f.code}: ${f.message}`;
      failures.set(key, f);
      ended.push({ device_id: d.device_id, output, error: key });
    }
    const groups = groupOutputs(ended);
    return {
      rollout_id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      commands: String(r.request.commands ?? ''),
      device_count: r.device_count,
      counts,
      groups: groups.map((g) => {
        const f = g.error === undefined ? undefined : failures.get(g.error);
        return {
          output: g.output,
          device_ids: g.device_ids,
          device_names: g.device_ids.map((x) => names.get(x) ?? ''),
          status: f?.status ?? 'done',
          error: f ? { code: f.code, message: f.message } : null,
        };
      }),
      waiting,
    };
  }

  return {
    /**
     * Checks the whole text, then starts a rollout of the kind it needs (mixing.ts). The commands are sealed in
     * the rollout's payload; its request and the audit entry show them with secret values masked.
     */
    async start(actor: Actor, body: BulkCommandBody): Promise<{ rollout_id: string }> {
      assertCan(actor, 'bulk_commands.run');
      const allow = [...new Set(body.allow ?? [])];
      if (allow.length > 0 && !can(actor.principal, 'bulk_commands.allow'))
        throw new AppError(
          'command_allow_forbidden',
          'only an admin may allow deny-listed commands for a run (bulk_commands.allow)',
        );
      const plan = check(body);
      if (plan.changes) assertCan(actor, 'changes.apply');
      const kind = kindOf(plan.steps);
      const shown = redactText(body.commands, parseCommands(body.commands).commands);
      const steps = plan.steps.map((s) => ({ line: s.line, kind: s.kind, cli: shownCli(s) }));
      const allowed = plan.allowed.map((d) => ({ id: d.id, line: d.line, reason: d.reason }));
      const first = steps[0]?.cli ?? '';
      const name =
        body.name ??
        `${first.length > 120 ? `${first.slice(0, 119)}…` : first}${steps.length > 1 ? ` (+${steps.length - 1})` : ''}`;
      const payload: BulkPayload = { commands: body.commands, allow };
      const created = await deps.rollouts.create(actor, {
        kind,
        name,
        targets: body.targets,
        options: body.rollout,
        request: { commands: shown, steps, allowed },
        payload,
      });
      await withTenant(deps.appPool, actor.tenantId as string, (db) =>
        recordAudit(db, actor, {
          action: 'bulk_commands.started',
          targetType: 'rollout',
          targetId: created.rollout_id,
          details: {
            kind,
            name,
            commands: shown.length > MAX_AUDIT_TEXT ? `${shown.slice(0, MAX_AUDIT_TEXT)}…` : shown,
            allowed,
          },
        }),
      );
      return created;
    },

    results,

    /** The results as a file: one row per device, in group order. */
    async download(actor: Actor, id: string, format: 'csv' | 'json') {
      const r = await results(actor, id);
      const rows = resultRows(
        r.groups.map((g) => ({
          output: g.output,
          device_ids: g.device_ids,
          ...(g.error
            ? { error: `${g.status === 'failed' ? '' : `${g.status}: `}${g.error.code}: ${g.error.message}` }
            : {}),
        })),
        new Map(r.groups.flatMap((g) => g.device_ids.map((x, i) => [x, g.device_names[i] ?? ''] as const))),
      );
      return {
        body: format === 'csv' ? resultsCsv(rows) : resultsJson(rows),
        filename: `bulk-command-${id.slice(0, 8)}.${format}`,
      };
    },
  };
}
export type BulkCommandsService = ReturnType<typeof createBulkCommandsService>;
