// How reads, changes and actions may share one bulk command, and which rollout kind runs it.
//
// - Only reads (print, get, export, monitor once, ping count=N): run directly on each device, in the order typed.
// - Changes (add, set, remove, …): all of them go to the safe-change engine as ONE operation per device (backup
//   before, revert armed, verified). Reads typed before the first change run before it; reads typed after the last
//   change run once the operation is confirmed. A read between two changes would not see the state it is typed
//   at (the changes land together), so it is refused.
// - Actions (flush, renew, check-for-updates, reboot …): not configuration, so not through the engine; they run
//   directly, in order with reads, and never in the same bulk command as changes. An action after which the
//   router drops the session (reboot, reset, install) must be the last command.
import { type CommandIssue, issue } from './issues.js';
import type { Step } from './translate.js';

export const KIND_READ = 'bulk_command_read';
export const KIND_ACTION = 'bulk_command_action';
export const KIND_CHANGE = 'bulk_command_change';
export const BULK_KINDS = [KIND_READ, KIND_ACTION, KIND_CHANGE] as const;
export type BulkKind = (typeof BULK_KINDS)[number];

export function kindOf(steps: readonly Step[]): BulkKind {
  if (steps.some((s) => s.kind === 'change')) return KIND_CHANGE;
  if (steps.some((s) => s.kind === 'action')) return KIND_ACTION;
  return KIND_READ;
}

/** Problems with the order or company of the steps (`command_unsupported`), one per offending command. */
export function checkMixing(steps: readonly Step[]): CommandIssue[] {
  const out: CommandIssue[] = [];
  const changes = steps.flatMap((s, i) => (s.kind === 'change' ? [i] : []));
  const first = changes[0];
  const last = changes.at(-1);
  steps.forEach((s, i) => {
    if (s.kind === 'action' && first !== undefined)
      out.push(
        issue(
          'command_unsupported',
          s.line,
          1,
          'actions cannot run with changes: changes go through the safe-change engine as one operation, actions run directly; send them as a separate bulk command',
        ),
      );
    else if ((s.kind === 'read' || s.kind === 'export') && first !== undefined && i > first && i < (last as number))
      out.push(
        issue(
          'command_unsupported',
          s.line,
          1,
          'the changes land together as one operation: put reads before the first change or after the last',
        ),
      );
    else if (s.kind === 'action' && s.disconnects && i < steps.length - 1)
      out.push(issue('command_unsupported', s.line, 1, 'the router drops the session when it runs this: put it last'));
  });
  return out;
}
