import { redact } from './diff.js';

// Config search over normalised exports: a plain substring (case-insensitive) on each line, optionally only in one
// menu. The text is scanned line by line, following the `/menu path` headers of the compact export, so a search
// over thousands of configs needs no parsing.

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

export function searchText(text: string, needle: string, path: string | undefined, mayShowSecrets: boolean): Match[] {
  // Without the secrets permission the search runs on the redacted text: a search must not reveal a password.
  const source = mayShowSecrets ? text : redact(text);
  const want = needle.toLowerCase();
  const only = path ? menuKey(path) : undefined;
  const out: Match[] = [];
  let current = '';
  const lines = source.split('\n');
  for (let i = 0; i < lines.length && out.length < MAX_MATCHES; i++) {
    const line = lines[i] as string;
    if (line.startsWith('/')) {
      current = menuKey(line);
      continue;
    }
    if (only && current !== only && !current.startsWith(`${only}/`)) continue;
    if (line.toLowerCase().includes(want))
      out.push({ path: `/${current.slice(1).replaceAll('/', ' ')}`, line: i + 1, text: line });
  }
  return out;
}
