// Parsed bulk commands → what TOD sends, by kind: reads (read-steps.ts) run directly, changes (change-steps.ts)
// through the safe-change engine, a few actions (action-steps.ts) as API commands. Anything else is refused with
// the reason, before any device is touched.
import { type ActionStep, actionStep } from './action-steps.js';
import { type ChangeStep, changeStep } from './change-steps.js';
import { classify } from './classify.js';
import { type CommandIssue, issue } from './issues.js';
import type { BulkCommand } from './parse.js';
import { type ExportStep, type ReadStep, readStep } from './read-steps.js';
import { Refusal } from './refusal.js';

export { whereOf } from './change-steps.js';
export { toQuery } from './read-steps.js';
export type { ActionStep, ChangeStep, ExportStep, ReadStep };

export type Step = ReadStep | ExportStep | ChangeStep | ActionStep;

/** One command; a `command_unsupported` issue when it cannot run as written. */
export function translateCommand(c: BulkCommand): Step | CommandIssue {
  try {
    switch (classify(c)) {
      case 'read':
        return readStep(c);
      case 'change':
        return changeStep(c);
      default:
        return actionStep(c);
    }
  } catch (e) {
    if (e instanceof Refusal) return issue('command_unsupported', c.line, e.column ?? c.column, e.message);
    throw e;
  }
}

export function translateCommands(commands: readonly BulkCommand[]): { steps: Step[]; errors: CommandIssue[] } {
  const steps: Step[] = [];
  const errors: CommandIssue[] = [];
  for (const c of commands) {
    const r = translateCommand(c);
    if ('kind' in r) steps.push(r);
    else errors.push(r);
  }
  return { steps, errors };
}
