import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { Gate, GateTimeout } from '../concurrency/gate.js';
import { type GitRun, runGit } from './git.js';
import { checkPath, GitMirrorError, isSha, tenantRepoName } from './names.js';
import { type PushRemote, type PushResult, pushMirror } from './push.js';
import { type MirrorCommit, readHead, writeCommits } from './write.js';

// Each organisation's config versions as a git history an MSP can clone (`bundle`) or have pushed to their own
// remote (`push`): one bare repository per organisation, branch `main`. Writes never use a working tree or the
// repository's index (one fast-import, then a compare-and-swap of the branch), so any number of TOD processes may
// write to the same store at once: the loser of a race rebuilds its commits on the winner's and tries again
// (write.ts).

export type GitMirrorOptions = {
  /** The store: GIT_STORE_PATH, or `gitStorePath(config)`. */
  root: string;
  log: Logger;
  /** Push deadline (GIT_PUSH_TIMEOUT_SECONDS), including connecting. */
  pushTimeoutMs: number;
  /** GIT_ALLOW_LOCAL_REMOTES: local paths and file:// as push targets (tests; never for tenants in production). */
  allowLocalRemotes: boolean;
  /** Deadline of each local git command (commit steps, log, show, bundle). Default 120 s. */
  localTimeoutMs?: number;
  /** Who commits (the author is whoever changed the config). */
  committer?: { name: string; email: string };
  /** Pack loose objects after every this many commits to a repository by this process. Default 100. */
  gcEvery?: number;
};

export type { MirrorCommit, MirrorFile } from './write.js';
export type MirrorLogEntry = { sha: string; date: string; author: { name: string; email: string }; message: string };

const branch = 'refs/heads/main';
const maxShow = 64 * 1024 * 1024;
const small = 1024 * 1024;

/** Where the store lives: GIT_STORE_PATH, else `<TOD_DATA_DIR>/git`. */
export function gitStorePath(config: { GIT_STORE_PATH?: string | undefined; dataDir: string }): string {
  return resolve(config.GIT_STORE_PATH ?? join(config.dataDir, 'git'));
}

export type GitMirror = ReturnType<typeof createGitMirror>;

export function createGitMirror(opts: GitMirrorOptions) {
  const root = resolve(opts.root);
  const tmpDir = join(root, '.tmp');
  const localTimeoutMs = opts.localTimeoutMs ?? 120_000;
  const committer = opts.committer ?? { name: 'TOD', email: 'tod@localhost' };
  const gcEvery = opts.gcEvery ?? 100;
  // One writer per repository in this process (other processes are handled by the compare-and-swap).
  const writers = new Gate(1);
  const commitsSinceGc = new Map<string, number>();

  const repoPath = (tenantId: string) => join(root, tenantRepoName(tenantId));
  const git = (dir: string, o: Omit<GitRun, 'gitDir' | 'timeoutMs' | 'maxBytes'> & { maxBytes?: number }) =>
    runGit({ gitDir: dir, timeoutMs: localTimeoutMs, maxBytes: small, ...o });
  const headOf = (dir: string) => readHead((o) => git(dir, o));
  const tmpName = (suffix: string) => join(tmpDir, `${process.pid}-${randomBytes(8).toString('hex')}${suffix}`);

  async function exists(dir: string): Promise<boolean> {
    try {
      return (await stat(join(dir, 'HEAD'))).isFile();
    } catch {
      return false;
    }
  }

  /** Creates the bare repository on first use: made aside, then renamed into place, so a racing process sees either
   *  none or a complete one. */
  async function ensureRepo(tenantId: string): Promise<string> {
    const dir = repoPath(tenantId);
    if (await exists(dir)) return dir;
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const made = tmpName('.git');
    try {
      await runGit({
        args: ['init', '--quiet', '--bare', '--template=', '--initial-branch=main', made],
        timeoutMs: localTimeoutMs,
        maxBytes: small,
      });
      await rename(made, dir);
      opts.log.info({ tenantId }, 'git mirror repository created');
    } catch (e) {
      if (!(await exists(dir))) throw e; // otherwise another process created it first
    } finally {
      await rm(made, { recursive: true, force: true });
    }
    return dir;
  }

  function checkCommit(c: MirrorCommit) {
    if (!Array.isArray(c.files) || c.files.length === 0)
      throw new GitMirrorError('git_invalid_commit', 'a commit needs at least one file');
    const seen = new Set<string>();
    for (const f of c.files) {
      checkPath(f.path);
      if (seen.has(f.path)) throw new GitMirrorError('git_invalid_path', `${f.path} appears twice in one commit`);
      seen.add(f.path);
      if (f.content !== null && typeof f.content !== 'string')
        throw new GitMirrorError('git_invalid_commit', 'file content must be text, or null to delete');
    }
    if (!(c.date instanceof Date) || Number.isNaN(c.date.getTime()))
      throw new GitMirrorError('git_invalid_commit', 'the commit date is not a valid date');
  }

  /** Commits in order, each on the previous one, in one fast-import: for each its id, or null if it changed
   *  nothing. All or none land. The way to catch up on many versions at once (a backlog after the nightly run). */
  async function commitMany(tenantId: string, commits: MirrorCommit[]): Promise<Array<{ sha: string | null }>> {
    commits.forEach(checkCommit);
    if (commits.length === 0) return [];
    const dir = await ensureRepo(tenantId);
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const release = await writers.enter(dir, localTimeoutMs).catch((e) => {
      if (e instanceof GateTimeout) throw new GitMirrorError('git_busy', 'the repository stayed busy too long');
      throw e;
    });
    try {
      const shas = await writeCommits((o) => git(dir, o), commits, committer, tmpName);
      const made = shas.filter((s) => s !== null).length;
      if (made) {
        opts.log.debug({ tenantId, commits: made, sha: shas.findLast((s) => s !== null) }, 'git mirror commit');
        await maybeGc(dir, made);
      }
      return shas.map((sha) => ({ sha }));
    } finally {
      release();
    }
  }

  /** One commit on main; `{ sha: null }` when every file already has that content (or a deleted one is absent). */
  async function commit(tenantId: string, c: MirrorCommit): Promise<{ sha: string | null }> {
    return (await commitMany(tenantId, [c]))[0]!;
  }

  async function maybeGc(dir: string, made: number) {
    const n = (commitsSinceGc.get(dir) ?? 0) + made;
    commitsSinceGc.set(dir, n % gcEvery);
    if (n < gcEvery) return;
    // Plumbing never packs on its own: without this every version stays a few loose files for ever. `repack -d`
    // packs the loose objects reachable from main and deletes only those now packed; `gc --auto` merges packs once
    // there are many. Neither touches objects younger than two weeks that nothing reaches, so racing writers are safe.
    try {
      await git(dir, { args: ['repack', '-d', '-q'] });
      await git(dir, { args: ['gc', '--auto', '--quiet'] });
    } catch (e) {
      opts.log.warn({ err: (e as Error).message, dir }, 'git mirror repack failed');
    }
  }

  async function log(tenantId: string, o: { path?: string; limit?: number; skip?: number } = {}) {
    const dir = repoPath(tenantId);
    if (o.path !== undefined) checkPath(o.path);
    if (!(await exists(dir)) || !(await headOf(dir))) return [];
    const limit = Math.min(Math.max(1, Math.trunc(o.limit ?? 100)), 1000);
    const skip = Math.max(0, Math.trunc(o.skip ?? 0));
    const r = await git(dir, {
      args: [
        'log',
        '--format=%H%x00%aI%x00%an%x00%ae%x00%B%x1e',
        `--max-count=${limit}`,
        `--skip=${skip}`,
        branch,
        '--',
        ...(o.path !== undefined ? [o.path] : []),
      ],
      maxBytes: 64 * 1024 * 1024,
    });
    const entries: MirrorLogEntry[] = [];
    for (const rec of r.stdout.toString('utf8').split('\x1e')) {
      const [sha, date, name, email, message] = rec.replace(/^\n/, '').split('\x00');
      if (sha && date && message !== undefined)
        entries.push({
          sha,
          date: new Date(date).toISOString(),
          author: { name: name ?? '', email: email ?? '' },
          message: message.trimEnd(),
        });
    }
    return entries;
  }

  /** A file as it was at a commit; undefined when the commit, the path or the repository does not exist. */
  async function show(tenantId: string, sha: string, path: string): Promise<string | undefined> {
    const dir = repoPath(tenantId);
    checkPath(path);
    if (!isSha(sha) || !(await exists(dir))) return undefined;
    // --batch answers "<name> missing" instead of failing, and tells the object's type and size first.
    const r = await git(dir, { args: ['cat-file', '--batch'], input: `${sha}:${path}\n`, maxBytes: maxShow + 200 });
    const nl = r.stdout.indexOf(10);
    const [, type, size] = r.stdout.subarray(0, nl).toString().split(' ');
    if (type !== 'blob') return undefined;
    return r.stdout.subarray(nl + 1, nl + 1 + Number(size)).toString('utf8');
  }

  /** `git bundle` of main (and HEAD, so `git clone tod.bundle` checks it out), read from a file already unlinked. */
  async function bundle(tenantId: string): Promise<{ sha: string; size: number; stream: Readable } | undefined> {
    const dir = repoPath(tenantId);
    if (!(await exists(dir))) return undefined;
    const at = await headOf(dir);
    if (!at) return undefined;
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const file = tmpName('.bundle');
    try {
      await git(dir, { args: ['bundle', 'create', '--quiet', file, branch, 'HEAD'] });
      const heads = (await git(dir, { args: ['bundle', 'list-heads', file, branch] })).stdout.toString();
      const fh = await open(file, 'r');
      try {
        const size = (await fh.stat()).size;
        return { sha: heads.split(' ')[0] ?? at.sha, size, stream: fh.createReadStream() };
      } catch (e) {
        await fh.close();
        throw e;
      }
    } finally {
      await rm(file, { force: true });
    }
  }

  /** Pushes main to the remote's branch (fast-forward only). */
  async function push(tenantId: string, remote: PushRemote): Promise<PushResult> {
    const dir = repoPath(tenantId);
    let at = (await exists(dir)) ? await headOf(dir) : undefined;
    if (!at) return { ok: false, code: 'git_mirror_empty', detail: 'nothing to push: no version was committed yet' };
    await mkdir(tmpDir, { recursive: true, mode: 0o700 });
    const send = (sha: string) =>
      pushMirror({ dir, sha, remote, allowLocal: opts.allowLocalRemotes, timeoutMs: opts.pushTimeoutMs, tmpName });
    let result = await send(at.sha);
    // Refused because another process pushed a newer main meanwhile: push ours again if it moved on too.
    for (let i = 0; i < 3 && !result.ok && result.code === 'git_push_rejected'; i++) {
      const now = await headOf(dir);
      if (!now || now.sha === at.sha) break;
      at = now;
      result = await send(at.sha);
    }
    if (result.ok) opts.log.info({ tenantId, sha: at.sha }, 'git mirror pushed');
    else opts.log.warn({ tenantId, code: result.code, detail: result.detail }, 'git mirror push failed');
    return result;
  }

  /** Deletes an organisation's repository (the organisation is gone). */
  async function remove(tenantId: string): Promise<void> {
    await rm(repoPath(tenantId), { recursive: true, force: true });
  }

  return { commit, commitMany, log, show, bundle, push, remove, repoPath };
}
