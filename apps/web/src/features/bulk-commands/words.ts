// How the page reads the text before the server does: only to decide which rollout options apply. The server's
// classify.ts decides what really runs (and how); a wrong guess here only shows or hides two fields.

/** The safe-change engine's verbs and the terminal's spellings of them (classify.ts CHANGE_VERBS). */
const CHANGE_VERBS = new Set([
  'add',
  'set',
  'remove',
  'enable',
  'disable',
  'unset',
  'move',
  'comment',
  'edit',
  'make-static',
]);

/** Whether any line names a change verb before its first argument (`/ip address add address=…`). */
export function typesChanges(text: string): boolean {
  return text.split('\n').some((line) => {
    const words = line.trim().split(/\s+/);
    if (words[0]?.startsWith('#')) return false;
    for (const w of words) {
      if (w.includes('=') || w.startsWith('[')) return false;
      if (CHANGE_VERBS.has(w)) return true;
    }
    return false;
  });
}
