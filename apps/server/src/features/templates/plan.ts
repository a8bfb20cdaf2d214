import {
  buildState,
  diffStates,
  diffToCommands,
  diffToJSON,
  type ExportDocument,
  normalizeExport,
  overlayCommands,
  ParseError,
  parseExport,
} from '@tod/rsc';
import { fromLines, type PlannedCommand } from '../changes/commands.js';
import type { SemanticDiff } from '../changes/restore-plan.js';
import { TemplateError } from './errors.js';

// A rendered template is desired state, not a script to replay: it is laid over the device's current configuration
// (an `add` of an item that exists sets its named properties; see overlayCommands in @tod/rsc), and the minimal
// commands from current to that are what a push runs. No commands = the device matches the template; the same plan
// against the latest backup is the drift check.

export type TemplatePlan = {
  /** The device already has everything the template describes. */
  inSync: boolean;
  /** Semantic diff, current → desired (the shape restore plans use). */
  diff: SemanticDiff;
  /** What a push runs, items addressed by natural keys. */
  commands: PlannedCommand[];
  /**
   * Template lines that say nothing about configuration (script statements, `move`, `print`, …) and differences
   * no command can express (`# cannot …`), for the preview to show.
   */
  unsupported: string[];
};

export type PlanOptions = {
  /** RouterOS major version of the device (defaults that changed between versions); else the export's header. */
  major?: number;
  /** `currentText` is already normalizeExport's output, as config backups store it: only parse it. */
  normalized?: boolean;
};

/**
 * The plan that makes the device described by `currentText` (its export) match `rendered` (a rendered template).
 * Throws TemplateError `template_output` (with the line of the rendered text) when the rendered text is not
 * RouterOS script.
 */
export function planTemplate(rendered: string, currentText: string, opts: PlanOptions = {}): TemplatePlan {
  let script: ExportDocument;
  try {
    script = parseExport(rendered);
  } catch (e) {
    if (e instanceof ParseError)
      throw new TemplateError('template_output', `the rendered text is not RouterOS script: ${e.reason}`, e.line);
    throw e;
  }
  const current = opts.normalized ? parseExport(currentText) : normalizeExport(currentText).doc;
  const major = opts.major ?? majorOf(current.header.version);
  const state = buildState(current);
  const overlay = overlayCommands(state, script, major === undefined ? {} : { major });
  const diff = diffStates(state, overlay.state);
  const { commands, unsupported } = fromLines(diffToCommands(diff));
  return {
    inSync: diff.equal,
    diff: diffToJSON(diff) as SemanticDiff,
    commands,
    unsupported: [...overlay.unsupported.map((u) => `line ${u.line}: ${u.text} (${u.reason})`), ...unsupported],
  };
}

function majorOf(version: string | undefined): number | undefined {
  const m = /^(\d+)\./.exec(version ?? '');
  return m ? Number(m[1]) : undefined;
}
