// What a stored line's text may be: bounded, and nothing PostgreSQL refuses (NUL, lone surrogates) or a terminal
// would act on (other control characters).

/** Longest message stored, in characters. */
export const MAX_MESSAGE_CHARS = 2048;
/** Most topics kept per line, and the longest topic. */
const MAX_TOPICS = 16;
const TOPIC = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

// C0 controls but tab, DEL, C1 controls, and unpaired surrogates.
const UNSAFE =
  /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** `s` without unsafe characters, trimmed, at most `max` characters (never cutting a surrogate pair). */
export function cleanText(s: string, max = MAX_MESSAGE_CHARS): string {
  let out = (s.length > max * 2 ? s.slice(0, max * 2) : s).replace(UNSAFE, ' ').trim();
  if (out.length > max) {
    out = out.slice(0, max);
    const last = out.charCodeAt(out.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) out = out.slice(0, -1);
  }
  return out;
}

/** RouterOS topics (`system,info,account`) as a list: lower case, valid names only, bounded. */
export function topicsOf(text: string | undefined): string[] {
  if (!text) return [];
  const out: string[] = [];
  for (const t of text.toLowerCase().split(',')) {
    const topic = t.trim();
    if (TOPIC.test(topic) && !out.includes(topic)) out.push(topic);
    if (out.length >= MAX_TOPICS) break;
  }
  return out;
}
