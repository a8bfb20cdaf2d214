import { readFile, rm, writeFile } from 'node:fs/promises';
import { GitError, runGit, transportConfig } from './git.js';
import { type CheckedRemote, checkRemote, redactUrls, validBranch } from './remote.js';

// Pushes TOD's `main` to a tenant's remote. Never forced: the mirror is TOD's, but the remote is the MSP's, and a
// branch that has commits TOD does not know (someone pushed there) is reported, not overwritten. Messages come from
// git and ssh only: the remote's own words (`remote:` lines, its refusal reason) are peer bytes and are dropped.

export type PushRemote = {
  url: string;
  /** The remote branch; default `main`. */
  branch?: string;
  /** ssh remotes: the private key (OpenSSH or PEM). Required: TOD's own ssh identity is never offered. */
  sshKey?: string;
  /** ssh remotes: known_hosts lines pinned by an earlier push. Absent: the host's key is accepted and returned. */
  knownHosts?: string;
};

export type PushErrorCode =
  | 'git_remote_invalid'
  | 'git_mirror_empty'
  | 'git_push_rejected'
  | 'git_auth_failed'
  | 'git_host_key_mismatch'
  | 'git_push_timeout'
  | 'git_push_failed';

export type PushResult =
  | { ok: true; sha: string /** ssh: the host key lines to pin (known_hosts format). */; knownHosts?: string }
  | { ok: false; code: PushErrorCode; detail: string };

const fail = (code: PushErrorCode, detail: string): PushResult => ({ ok: false, code, detail });

export async function pushMirror(o: {
  dir: string;
  sha: string;
  remote: PushRemote;
  allowLocal: boolean;
  timeoutMs: number;
  tmpName: (suffix: string) => string;
}): Promise<PushResult> {
  const checked = checkRemote(o.remote.url, o.allowLocal);
  if (!checked.ok) return fail('git_remote_invalid', checked.detail);
  const remote = checked.remote;
  const target = o.remote.branch ?? 'main';
  if (!validBranch(target)) return fail('git_remote_invalid', 'the remote branch name is not valid');
  if (remote.kind === 'ssh' && !o.remote.sshKey) return fail('git_remote_invalid', 'an ssh remote needs a private key');

  const env: Record<string, string> = {};
  const temp: string[] = [];
  let knownHostsFile: string | undefined;
  try {
    if (remote.authorization) {
      // From the environment, not argv: other local users can read argv (ps), and git quotes its URL in messages.
      env.GIT_CONFIG_COUNT = '1';
      env.GIT_CONFIG_KEY_0 = 'http.extraHeader';
      env.GIT_CONFIG_VALUE_0 = `Authorization: ${remote.authorization}`;
    }
    if (remote.kind === 'ssh') {
      const key = o.tmpName('.key');
      knownHostsFile = o.tmpName('.known_hosts');
      temp.push(key, knownHostsFile);
      await writeFile(key, `${o.remote.sshKey!.trim()}\n`, { mode: 0o600 });
      await writeFile(knownHostsFile, o.remote.knownHosts ? `${o.remote.knownHosts.trim()}\n` : '', { mode: 0o600 });
      env.GIT_SSH_VARIANT = 'ssh';
      env.GIT_SSH_COMMAND = sshCommand(key, knownHostsFile, !!o.remote.knownHosts, o.timeoutMs);
    }
    try {
      await runGit({
        gitDir: o.dir,
        args: ['push', '--no-verify', remote.url, `${o.sha}:refs/heads/${target}`],
        config: transportConfig(o.allowLocal),
        env,
        timeoutMs: o.timeoutMs,
        maxBytes: 1024 * 1024,
      });
    } catch (e) {
      if (!(e instanceof GitError)) throw e;
      return classify(e, remote, o.remote.url);
    }
    const learned = knownHostsFile && !o.remote.knownHosts ? (await readFile(knownHostsFile, 'utf8')).trim() : '';
    return { ok: true, sha: o.sha, ...(learned ? { knownHosts: learned } : {}) };
  } finally {
    for (const f of temp) await rm(f, { force: true });
  }
}

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/** Only the given key, only the pinned (or first seen) host key, no config files, no agent, no banner. */
function sshCommand(key: string, knownHosts: string, pinned: boolean, timeoutMs: number): string {
  const opts = [
    'BatchMode=yes',
    'IdentitiesOnly=yes',
    `IdentityFile=${quote(key)}`,
    `UserKnownHostsFile=${quote(knownHosts)}`,
    'GlobalKnownHostsFile=/dev/null',
    `StrictHostKeyChecking=${pinned ? 'yes' : 'accept-new'}`,
    'LogLevel=ERROR',
    `ConnectTimeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`,
  ];
  // git runs this through sh; every value above is ours (paths under the store, fixed words).
  return ['ssh', '-F', '/dev/null', ...opts.flatMap((x) => ['-o', x])].join(' ');
}

function classify(e: GitError, remote: CheckedRemote, rawUrl: string): PushResult {
  if (e.code === 'git_timeout') return fail('git_push_timeout', `pushing to ${remote.display} took too long`);
  if (e.code !== 'git_failed') return fail('git_push_failed', e.message);
  const err = e.stderr.toLowerCase();
  if (/\[rejected\]/.test(err))
    return fail('git_push_rejected', `${remote.display} has commits TOD's history does not have; not overwritten`);
  if (err.includes('[remote rejected]'))
    return fail('git_push_rejected', `${remote.display} refused the update (a hook or a protected branch)`);
  if (err.includes('host key verification failed') || err.includes('remote host identification has changed'))
    return fail('git_host_key_mismatch', `the ssh host key of ${remote.display} is not the one pinned`);
  if (/authentication failed|permission denied|could not read (username|password)|returned error: 40[13]/.test(err))
    return fail('git_auth_failed', `${remote.display} refused TOD's credentials`);
  return fail('git_push_failed', gitWords(e.stderr, rawUrl) || e.message);
}

/** Git's and ssh's own lines, without what the remote said, credentials, or anything unprintable; capped. */
function gitWords(stderr: string, rawUrl: string): string {
  let text = stderr
    .split('\n')
    .filter((l) => l.trim() && !/^(remote|hint):/i.test(l.trim()))
    .join(' ')
    .replace(/[^\x20-\x7e]/g, '');
  try {
    const u = new URL(rawUrl);
    for (const s of [u.username, u.password, decodeURIComponent(u.password), decodeURIComponent(u.username)])
      if (s.length >= 3) text = text.replaceAll(s, '***');
  } catch {
    // not a URL: nothing of it to scrub
  }
  return redactUrls(text).slice(0, 300);
}
