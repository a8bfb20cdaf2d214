// Commands typed by a person may hold a password (`/ppp secret add … password=x`). What TOD shows or records of
// them (the rollout's request, the audit entry, the `> cli` headers of the output) has secret values masked with
// the same rules as exports (@tod/rsc isSecretProperty); the commands themselves are kept sealed.
import { isSecretProperty, SourceText } from '@tod/rsc';
import { displayCommand } from '../changes/commands.js';
import { MASK } from './output.js';
import type { BulkCommand } from './parse.js';
import type { Step } from './translate.js';

// `name=value` (also `~`, `!=`, `<`, `>` in conditions), the value quoted or bare (a bare one ends at a space or at
// the `]` of a `[ find … ]`).
const TERM = /(^|[\s[])([A-Za-z0-9.][A-Za-z0-9._-]*)(!=|<=|>=|=|~|<|>)("(?:[^"\\]|\\.)*"?|[^\s\]]+)/g;

/** One command line with the values of secret properties of menu `path` masked. */
export function redactLine(path: string, text: string): string {
  return text.replace(TERM, (whole, pre: string, name: string, op: string) =>
    isSecretProperty(path, name) ? `${pre}${name}${op}${MASK}` : whole,
  );
}

/**
 * The whole text with secrets masked, continuations joined. Each command is masked with its own menu's rules
 * (an SNMP community's name is its password); text between commands (menu lines, comments) with the rules that
 * hold in every menu.
 */
export function redactText(text: string, commands: readonly BulkCommand[]): string {
  const logical = new SourceText(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).text;
  let out = '';
  let at = 0;
  for (const c of commands) {
    const i = logical.indexOf(c.raw, at);
    if (i < 0) continue;
    out += redactLine('/', logical.slice(at, i)) + redactLine(c.path, c.raw);
    at = i + c.raw.length;
  }
  return out + redactLine('/', logical.slice(at));
}

const menuOf = (command: string) => command.slice(0, command.lastIndexOf('/')) || '/';

/** A step's command line as shown (`> cli` over its output, the rollout's request). */
export function shownCli(s: Step): string {
  switch (s.kind) {
    case 'change':
      return displayCommand(s.command).cli;
    case 'export':
      return redactLine('/', s.cli);
    default:
      return redactLine(menuOf(s.command), s.cli);
  }
}
