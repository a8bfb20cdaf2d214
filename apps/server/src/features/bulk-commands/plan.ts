// The whole check of a bulk command text before any device is touched: parse, deny-list, translation. The run
// may start only when `errors` is empty; `steps` are in the order typed and run in that order on each device.
import { checkDenied, type Denial } from './classify.js';
import type { CommandIssue } from './issues.js';
import { parseCommands } from './parse.js';
import { type Step, translateCommands } from './translate.js';

export type BulkPlan = {
  steps: Step[];
  /** Every problem, in line order (parse, deny-list and translation together). */
  errors: CommandIssue[];
  /** Deny-list entries hit and allowed for this run (record them in the audit entry). */
  allowed: Denial[];
  /** Some step changes configuration (runs through the safe-change engine) or is an action. */
  changes: boolean;
};

export function planBulkCommands(text: string, options: { allow?: readonly string[] } = {}): BulkPlan {
  const parsed = parseCommands(text);
  const deny = checkDenied(parsed.commands, options);
  const translated = translateCommands(parsed.commands);
  const errors = [...parsed.errors, ...deny.errors, ...translated.errors].sort(
    (a, b) => a.line - b.line || a.column - b.column,
  );
  return {
    steps: translated.steps,
    errors,
    allowed: deny.allowed,
    changes: translated.steps.some((s) => s.kind === 'change' || s.kind === 'action'),
  };
}
