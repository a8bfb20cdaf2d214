import type { DenyId } from '@/api/bulk-commands';
import type { ApiError } from '@/api/errors';

// What the server said about a text it would not run, taken apart for the form: each problem at its line (the
// editor's gutter marks them), and the deny-list entries it refused, which an admin may allow for this run.

/** The codes of a text that cannot run as written (the server's bulk-commands feature). */
export const textCodes = [
  'command_syntax',
  'command_unsupported',
  'command_denied',
  'commands_too_large',
  'command_allow_forbidden',
];

export type Problem = { line?: number; message: string; code?: string };
export type Denial = { id: DenyId; line?: number; reason: string };

/** `{path: "line 3", message: "… (column 5, command_denied)"}` → line 3, the message and its code. */
export function problemOf(e: { path: string; message: string }): Problem {
  const line = /^line (\d+)$/.exec(e.path)?.[1];
  const tail = /\s*\(column \d+, ([a-z_]+)\)$/.exec(e.message);
  return {
    ...(line ? { line: Number(line) } : {}),
    message: tail ? e.message.slice(0, tail.index) : e.message,
    ...(tail?.[1] ? { code: tail[1] } : {}),
  };
}

/** `… (deny-list entry "reboot"; an admin may allow it for one run)`: the entry and the reason before it. */
export function denialOf(p: Problem): Denial | undefined {
  const m = /^(.*) \(deny-list entry "([^"]+)"; [^)]*\)$/.exec(p.message);
  if (!m) return undefined;
  return { id: m[2] as DenyId, reason: m[1] ?? '', ...(p.line ? { line: p.line } : {}) };
}

/** Every problem of a refused text (one without a line when the server named none), and its denials. */
export function problemsOf(error: ApiError | null): { problems: Problem[]; denials: Denial[] } {
  if (!error || !textCodes.includes(error.code)) return { problems: [], denials: [] };
  const problems = error.fieldErrors.length
    ? error.fieldErrors.map(problemOf)
    : [{ message: error.detail, code: error.code }];
  const denials = problems.flatMap((p) => {
    const d = p.code === 'command_denied' || !p.code ? denialOf(p) : undefined;
    return d ? [d] : [];
  });
  return { problems, denials };
}
