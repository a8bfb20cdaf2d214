// What may name a repository and a file in it. Tenant ids become directory names and file paths become tree entries
// that an MSP checks out on their own machine, so both are kept to plain characters: nothing escapes the store's
// root, and no clone gets a `.git` entry, an absolute path or a name a shell or Windows would trip over.

export class GitMirrorError extends Error {
  constructor(
    readonly code: 'git_invalid_tenant' | 'git_invalid_path' | 'git_invalid_commit' | 'git_conflict' | 'git_busy',
    message: string,
  ) {
    super(message);
    this.name = 'GitMirrorError';
  }
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const segment = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
const maxDepth = 8;
const maxPath = 1024;

/** The repository's directory name for a tenant (`<uuid>.git`, lower case). Throws git_invalid_tenant. */
export function tenantRepoName(tenantId: string): string {
  if (typeof tenantId !== 'string' || !uuid.test(tenantId))
    throw new GitMirrorError('git_invalid_tenant', 'the organisation id must be a UUID');
  return `${tenantId.toLowerCase()}.git`;
}

/** Checks a file path inside the repository: relative, `/`-separated, at most 8 levels of plain names. */
export function checkPath(path: string): string {
  const parts = typeof path === 'string' ? path.split('/') : [];
  const ok =
    parts.length > 0 &&
    parts.length <= maxDepth &&
    path.length <= maxPath &&
    parts.every((p) => segment.test(p) && !p.endsWith('.') && p.toLowerCase() !== 'git~1');
  if (!ok)
    throw new GitMirrorError(
      'git_invalid_path',
      'a file path is 1 to 8 names joined by "/", each of letters, digits, ".", "_" and "-", not starting with "." or "-"',
    );
  return path;
}

/** Turns a free-form name (a device's, a site's) into a path segment `checkPath` accepts. */
export function pathSegment(name: string, fallback = 'unnamed'): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+/, '')
    .replace(/[.-]+$/, '')
    .slice(0, 100)
    .replace(/[.-]+$/, '');
  return s === '' ? fallback : s;
}

/** A full commit id (SHA-1 repositories, which is what `git init` makes). */
export const isSha = (s: string) => typeof s === 'string' && /^[0-9a-f]{40}$/.test(s);
