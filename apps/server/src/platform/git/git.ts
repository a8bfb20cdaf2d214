import { spawn } from 'node:child_process';
import { Readable } from 'node:stream';

// Runs the `git` CLI without a shell, with a clean environment, a timeout and an output cap. Nothing from the
// operator's or the system's git configuration applies (no aliases, insteadOf rewrites, credential helpers or
// hooks), so a repository behaves the same on every host and a remote cannot reach beyond what we allow.

export type GitErrorCode = 'git_failed' | 'git_timeout' | 'git_output_too_large' | 'git_not_installed';

export class GitError extends Error {
  constructor(
    readonly code: GitErrorCode,
    message: string,
    /** Git's own stderr, capped; may name the remote: redact before showing it to anyone. */
    readonly stderr = '',
    readonly exitCode: number | null = null,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export type GitResult = { stdout: Buffer; stderr: string; exitCode: number };

export type GitRun = {
  /** The repository (`--git-dir`); absent for commands that take none (init). */
  gitDir?: string;
  args: string[];
  /** stdin; an iterable is streamed with backpressure (fast-import of many commits). */
  input?: string | Buffer | Iterable<Buffer>;
  /** Extra `-c key=value` settings for this command (after the safe defaults, so they may widen them). */
  config?: string[];
  /** Extra environment (GIT_INDEX_FILE, author, GIT_SSH_COMMAND, GIT_CONFIG_COUNT…). */
  env?: Record<string, string>;
  timeoutMs: number;
  /** stdout beyond this fails the command (git_output_too_large). */
  maxBytes: number;
  /** Exit codes that are answers, not failures (e.g. 1 for `rev-parse --verify -q` of a missing ref). */
  okCodes?: number[];
};

/** Settings every command gets: no hooks (update-ref runs reference-transaction, push runs pre-push), no prompts,
 *  no credential helpers, and no transport at all unless a command allows one (see `transportConfig`). */
export const safeConfig = [
  'core.hooksPath=/dev/null',
  'core.askPass=',
  'credential.helper=',
  'protocol.allow=never',
  'gc.autoDetach=false',
  'init.defaultBranch=main',
  'advice.detachedHead=false',
];

/** The transports a push may use: https and ssh; local paths and file:// only when the operator allows them. */
export function transportConfig(allowLocal: boolean): string[] {
  const c = ['protocol.https.allow=always', 'protocol.ssh.allow=always', 'http.followRedirects=false'];
  if (allowLocal) c.push('protocol.file.allow=always');
  return c;
}

// Passed through from TOD's environment: what an operator sets for outbound HTTPS (a proxy, a private CA).
const passThrough = [
  'HTTPS_PROXY',
  'https_proxy',
  'ALL_PROXY',
  'all_proxy',
  'NO_PROXY',
  'no_proxy',
  'GIT_SSL_CAINFO',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
];

function gitEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    // No ~/.gitconfig, ~/.netrc (curl reads it: the operator's credentials must never go to a tenant's remote).
    HOME: '/nonexistent',
    LC_ALL: 'C',
    LANG: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
  };
  for (const k of passThrough) if (process.env[k]) env[k] = process.env[k];
  return { ...env, ...extra };
}

const stderrCap = 16 * 1024;

/** Runs one git command; resolves on exit 0 (or an `okCodes` exit), otherwise rejects with a GitError. */
export function runGit(o: GitRun): Promise<GitResult> {
  const args: string[] = [];
  for (const c of [...safeConfig, ...(o.config ?? [])]) args.push('-c', c);
  if (o.gitDir) args.push(`--git-dir=${o.gitDir}`);
  args.push(...o.args);
  const what = `git ${o.args[0]}`;

  return new Promise((resolve, reject) => {
    // Its own process group, so a timeout also ends what git started (git-remote-https, ssh, pack-objects).
    const child = spawn('git', args, { env: gitEnv(o.env), stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let failure: GitError | undefined;
    const kill = (e: GitError) => {
      failure ??= e;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(
      () => kill(new GitError('git_timeout', `${what} took longer than ${o.timeoutMs} ms`)),
      o.timeoutMs,
    );
    child.stdout.on('data', (b: Buffer) => {
      outBytes += b.length;
      if (outBytes > o.maxBytes)
        kill(new GitError('git_output_too_large', `${what} wrote more than ${o.maxBytes} bytes`));
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      err += b.toString('utf8');
      if (err.length > stderrCap) err = err.slice(-stderrCap);
    });
    child.stdin.on('error', () => {}); // git may exit before reading all of its input; its exit code tells
    if (o.input === undefined || typeof o.input === 'string' || Buffer.isBuffer(o.input))
      child.stdin.end(o.input ?? '');
    else
      Readable.from(o.input)
        .on('error', (e) => kill(new GitError('git_failed', e.message)))
        .pipe(child.stdin);
    child.on('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        e.code === 'ENOENT'
          ? new GitError('git_not_installed', 'the git program is not installed (apt-get install git)')
          : new GitError('git_failed', `${what} could not start: ${e.message}`),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (failure) return reject(new GitError(failure.code, failure.message, err, code));
      const exitCode = code ?? -1;
      if (exitCode === 0 || o.okCodes?.includes(exitCode))
        return resolve({ stdout: Buffer.concat(out), stderr: err, exitCode });
      reject(new GitError('git_failed', `${what} failed (exit ${exitCode})`, err, exitCode));
    });
  });
}
