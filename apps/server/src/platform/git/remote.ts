// Which remotes a tenant may make TOD push to, and how credentials travel. An organisation admin types the URL, so
// it is hostile input: only https and ssh reach the network (never git://, http://, ext::, fd:: or an option in
// disguise), a local path only when the operator allows it (tests), and a token in the URL is taken out of it and
// sent as an HTTP header from the environment, so it never appears in git's argv, its messages or our logs.

export type RemoteKind = 'https' | 'ssh' | 'local';

export type CheckedRemote = {
  kind: RemoteKind;
  /** What git is given: the URL without user:password for https. */
  url: string;
  /** Shown to people and logged: the URL without any credentials. */
  display: string;
  /** https only: the `Authorization` header value built from the URL's user:password. */
  authorization?: string;
};

export type RemoteCheck = { ok: true; remote: CheckedRemote } | { ok: false; detail: string };

const maxUrl = 2048;
// scp-like ssh: [user@]host:path, where host has no slash and the path does not start with //.
const scpLike = /^(?:([A-Za-z0-9._-]+)@)?([A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\]):(?!\/\/)(.+)$/;

const refuse = (detail: string): RemoteCheck => ({ ok: false, detail });

/** Validates a remote URL a tenant configured. Never echoes the URL back (it may carry a token). */
export function checkRemote(raw: string, allowLocal: boolean): RemoteCheck {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > maxUrl)
    return refuse(`the remote URL must have 1 to ${maxUrl} characters`);
  if (/[\s\x00-\x1f\x7f]/.test(raw)) return refuse('the remote URL must not contain spaces or control characters');
  if (raw.startsWith('-')) return refuse('the remote URL must not start with "-"');
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(raw)) return refuse('remote helpers (transport::address) are not allowed');

  if (raw.startsWith('/') || /^file:/i.test(raw)) {
    if (!allowLocal) return refuse('local paths are not allowed as a remote (GIT_ALLOW_LOCAL_REMOTES)');
    if (raw.startsWith('/')) return { ok: true, remote: { kind: 'local', url: raw, display: raw } };
    if (!raw.startsWith('file:///')) return refuse('a file URL must be file:///absolute/path');
    return { ok: true, remote: { kind: 'local', url: raw, display: raw } };
  }

  if (/^https:\/\//i.test(raw)) return checkHttps(raw);
  if (/^ssh:\/\//i.test(raw)) return checkSshUrl(raw);
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw)) return refuse('only https:// and ssh:// remotes are allowed');

  const m = scpLike.exec(raw);
  if (m) {
    const [, user, host, path] = m;
    if (host!.startsWith('-') || path!.startsWith('-') || user?.startsWith('-'))
      return refuse('the remote host, user and path must not start with "-"');
    return { ok: true, remote: { kind: 'ssh', url: raw, display: raw } };
  }
  return refuse('the remote must be an https://, ssh:// or user@host:path URL');
}

function checkHttps(raw: string): RemoteCheck {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return refuse('the remote URL is not a valid URL');
  }
  if (!u.hostname || u.hostname.startsWith('-')) return refuse('the remote URL has no valid host');
  let authorization: string | undefined;
  if (u.username || u.password) {
    let user: string;
    let password: string;
    try {
      user = decodeURIComponent(u.username);
      password = decodeURIComponent(u.password);
    } catch {
      return refuse('the credentials in the remote URL are not valid percent-encoding');
    }
    authorization = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    u.username = '';
    u.password = '';
  }
  const url = u.toString();
  return { ok: true, remote: { kind: 'https', url, display: url, ...(authorization ? { authorization } : {}) } };
}

function checkSshUrl(raw: string): RemoteCheck {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return refuse('the remote URL is not a valid URL');
  }
  if (!u.hostname || u.hostname.startsWith('-') || u.username.startsWith('-'))
    return refuse('the remote host and user must not start with "-"');
  if (u.password) return refuse('an ssh remote takes a key, not a password in the URL');
  if (u.pathname.length < 2) return refuse('the remote URL has no repository path');
  return { ok: true, remote: { kind: 'ssh', url: raw, display: raw } };
}

/** Removes user:password (or a bare token) from every URL in a text, for messages and logs. */
export function redactUrls(text: string): string {
  return text.replace(/([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/\s@'"]*@/g, '$1***@');
}

/** A remote branch name we push to: what `git check-ref-format` accepts, kept to plain characters. */
export function validBranch(name: string): boolean {
  return (
    /^[A-Za-z0-9][A-Za-z0-9._/-]{0,199}$/.test(name) &&
    !name.includes('..') &&
    !name.includes('//') &&
    !name.endsWith('/') &&
    !name.endsWith('.lock') &&
    !name.endsWith('.') &&
    !name.split('/').some((s) => s.startsWith('.'))
  );
}
