import { parseExport, redactSecrets, serializeExport } from '@tod/rsc';

// Config search over normalised exports (one command per line under its `/menu path` header): a plain
// case-insensitive substring, optionally only in one menu. No export is parsed whole: only lines that match are, to
// redact them for callers who may not see secrets — and a line that matched only because of a secret is dropped, so
// the search cannot be used to find a password.

export type Match = { path: string; line: number; text: string };

const MAX_MATCHES = 20;

/** `/ip dns`, `/ip/dns` and `ip dns` all name the same menu. */
export function menuKey(path: string): string {
  return `/${path
    .trim()
    .replace(/^\//, '')
    .split(/[\s/]+/)
    .filter(Boolean)
    .join('/')}`;
}

const shown = (key: string) => `/${key.slice(1).replaceAll('/', ' ')}`;

/** One command line with its secret values replaced (parsed in its menu, written back). */
function redactLine(key: string, line: string): string {
  try {
    const doc = redactSecrets(parseExport(`${shown(key)}\n${line}\n`));
    const out = serializeExport(doc, { style: 'compact', canonicalQuotes: true, omitHeader: true })
      .trimEnd()
      .split('\n');
    return out.at(-1) ?? '';
  } catch {
    return '';
  }
}

export function searchText(text: string, needle: string, path: string | undefined, mayShowSecrets: boolean): Match[] {
  const want = needle.toLowerCase();
  const only = path ? menuKey(path) : undefined;
  const out: Match[] = [];
  let current = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && out.length < MAX_MATCHES; i++) {
    const line = lines[i] as string;
    if (line.startsWith('/')) {
      current = menuKey(line);
      continue;
    }
    if (only && current !== only && !current.startsWith(`${only}/`)) continue;
    if (!line.toLowerCase().includes(want)) continue;
    const shownLine = mayShowSecrets || line.startsWith('#') ? line : redactLine(current, line);
    if (shownLine.toLowerCase().includes(want)) out.push({ path: shown(current), line: i + 1, text: shownLine });
  }
  return out;
}
